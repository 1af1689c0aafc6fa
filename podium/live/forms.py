"""The input of the attendees' actions and the moderators' controls, read so that nothing answers 500.

Letters or a 30-digit number for an id, or a NUL byte in a text, get a message. The forms only check
what arrived; the services keep the rules and their messages (an empty question, too many answers),
so text fields are not required here.
"""

import typing

from django import forms

from podium.core.errors import form_error
from podium.core.forms import ModelIdField
from podium.events.models import Event, Participation
from podium.live.models import LiveSession, Poll

# Django's CharField refuses NUL bytes (PostgreSQL cannot store them); the message says so plainly.
TEXT_ERRORS = {"null_characters_not_allowed": "This text has a character that cannot be saved; please type it again."}


def text_field(**kwargs) -> forms.CharField:
    return forms.CharField(required=False, error_messages=TEXT_ERRORS, **kwargs)


def valid_data(form: forms.Form) -> dict:
    """The form's cleaned data, or the ApplicationError that tells the person what is wrong."""
    if not form.is_valid():
        raise form_error(form)
    return form.cleaned_data


# Attendees ------------------------------------------------------------------------------------------------


class AskForm(forms.Form):
    text = text_field(strip=False)
    key = text_field()  # the browser's id for this submission
    anonymous = forms.BooleanField(required=False)
    to = ModelIdField(
        queryset=Participation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose a speaker of this event."},
    )

    def __init__(self, data, *, event: Event):
        super().__init__(data)
        field = typing.cast(forms.ModelChoiceField, self.fields["to"])
        # Only those the attendees' agenda names: a question to an invited speaker would name them to all.
        field.queryset = Participation.objects.public().filter(event=event).select_related("person")


class UpvoteForm(forms.Form):
    """The upvote button is a toggle: pressed again, its form says `withdraw`. The wanted state is sent, not
    "flip", so a retried request never undoes itself."""

    withdraw = forms.BooleanField(required=False)


class VoteForm(forms.Form):
    option = forms.IntegerField(
        min_value=0,
        max_value=Poll.MAX_OPTIONS - 1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), "Choose one of the answers."),
    )


# Moderators -----------------------------------------------------------------------------------------------


class QuestionTextForm(forms.Form):
    text = text_field(strip=False)


class SpeakerForm(forms.Form):
    participation = ModelIdField(
        queryset=Participation.objects.none(),
        required=False,  # nobody speaking
        error_messages={"invalid_choice": "Choose someone on this event's agenda."},
    )

    def __init__(self, data, *, event: Event):
        super().__init__(data)
        field = typing.cast(forms.ModelChoiceField, self.fields["participation"])
        field.queryset = Participation.objects.filter(event=event).select_related("person")


class QAModeForm(forms.Form):
    mode = forms.ChoiceField(
        choices=LiveSession.QAMode.choices,
        error_messages={"required": "Unknown Q&A mode.", "invalid_choice": "Unknown Q&A mode."},
    )


class AnnouncementForm(forms.Form):
    text = text_field()


class PollForm(forms.Form):
    question = text_field()
    options = text_field(strip=False)  # one answer per line

    def clean_options(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()


class PollChoiceForm(forms.Form):
    poll = ModelIdField(
        queryset=Poll.objects.none(),
        error_messages={"required": "Choose a poll.", "invalid_choice": "This poll is not one of this event's."},
    )

    def __init__(self, data, *, event: Event):
        super().__init__(data)
        field = typing.cast(forms.ModelChoiceField, self.fields["poll"])
        field.queryset = Poll.objects.filter(event=event)


class NoteForm(forms.Form):
    text = text_field()


class EndSessionForm(forms.Form):
    # Exactly what the ticked box sends: a BooleanField would take "0" or any stray text as a yes.
    confirm = forms.ChoiceField(
        choices=[("on", "Yes, end the session for everyone")],
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"), "Tick the box to confirm that the session ends for everyone."
        ),
    )
