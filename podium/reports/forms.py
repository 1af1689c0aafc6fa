"""What the report workspace's actions accept: each reads its input here, so that letters for an id, a
number too large for the database or a NUL byte get a message rather than reaching a query."""

from django import forms

from podium.core.forms import MAX_ID, ModelIdField
from podium.events.models import Event
from podium.reports.models import Point, Transcript

CHOOSE_SPEAKER = "Choose a speaker of this event."
WHICH_VERSION = "Say which version you mean: reload the page and try again."


def _speaker_field(event: Event, *, required: bool) -> ModelIdField:
    return ModelIdField(
        queryset=event.participations.select_related("person"),
        required=required,
        error_messages={"required": CHOOSE_SPEAKER, "invalid_choice": CHOOSE_SPEAKER},
    )


class PointForm(forms.Form):
    """A point typed by staff or taken from a transcript suggestion; the service checks the text."""

    text = forms.CharField(required=False, strip=False)
    source = forms.ChoiceField(choices=Point.Source.choices, required=False)
    next = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"] = _speaker_field(event, required=True)

    def clean_source(self) -> str:
        return self.cleaned_data["source"] or Point.Source.STAFF


class PointTextForm(forms.Form):
    text = forms.CharField(required=False, strip=False)


class NoteUseForm(forms.Form):
    """Make a note a point; the speaker is the one stamped on the note unless staff choose another."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation"] = _speaker_field(event, required=False)


class ReportEditForm(forms.Form):
    headline = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)
    # "Preview" instead of "Save": show the text as it would print, save nothing.
    preview = forms.BooleanField(required=False)
    # The version the editor started from, so that a version saved meanwhile is not overwritten unseen.
    base = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, error_messages={"invalid": WHICH_VERSION})


class VersionForm(forms.Form):
    """The version a person read before approving, publishing or downloading it; `confirmed` is sent by the
    confirmation page's own button (publishing is confirmed first)."""

    number = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), WHICH_VERSION),
    )
    confirmed = forms.BooleanField(required=False)


class WithdrawForm(forms.Form):
    """`confirmed` is sent by the confirmation page's own button (withdrawing is confirmed first, as publishing is)."""

    confirmed = forms.BooleanField(required=False)


class TranscriptMappingForm(forms.Form):
    """Who each speaker label of the transcript is: someone on the agenda, or nobody ("not on the agenda")."""

    def __init__(self, *args, transcript: Transcript, **kwargs):
        super().__init__(*args, **kwargs)
        self.speakers = list(transcript.speakers.all())
        message = "Choose someone from the agenda for each speaker."
        for speaker in self.speakers:
            self.fields[f"speaker-{speaker.pk}"] = ModelIdField(
                queryset=transcript.event.participations.all(),
                required=False,
                error_messages={"invalid_choice": message},
            )

    def assignments(self) -> dict[int, int | None]:
        """Speaker id → participation id (None: not on the agenda), for the labels the form sent."""
        return {
            speaker.pk: (chosen.pk if chosen else None)
            for speaker in self.speakers
            if (chosen := self.cleaned_data.get(f"speaker-{speaker.pk}")) is not None
            or f"speaker-{speaker.pk}" in self.data
        }


class TranscriptTextForm(forms.Form):
    """A transcript pasted instead of uploaded: the same reader takes it, within the same size limit."""

    text = forms.CharField(
        required=False,
        strip=False,
        max_length=5 * 1024 * 1024,
        error_messages={"max_length": "A pasted transcript may be at most 5 MB; import it as a file instead."},
    )
