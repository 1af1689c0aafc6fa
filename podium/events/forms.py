"""Forms of events: the joining and reminder settings, and the profile a speaker edits from their link."""

from django import forms
from django.core.exceptions import ValidationError

from podium.core.forms import ImageUploadField, NameField
from podium.core.uploads import IMAGE_MAX_PIXELS
from podium.events.models import Event
from podium.events.schedule import offsets_format, offsets_parse

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = IMAGE_MAX_PIXELS  # decoded when it is resized: bounded memory
PHOTO_MIN_SIDE = 100
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


class ReminderOffsetsField(forms.CharField):
    """Shows [1440, 60] as “1 day, 1 hour” and reads back what people type (“1d, 1h”, “1440, 60”)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Reminders before the start")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "Separate times with commas, for example “1 day, 1 hour” or “1d, 1h, 30m”; "
            "a number alone is minutes. Leave empty to send no reminders.",
        )
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return offsets_format(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return offsets_parse(super().to_python(value) or "")

    def validate(self, value):  # an empty schedule is a choice: no reminders
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def _no_suffix(form: forms.BaseForm) -> None:
    form.label_suffix = ""
    for field in form.fields.values():
        if not field.required and not isinstance(field, (forms.BooleanField, forms.FileField)):
            field.label = f"{field.label} (optional)"


class EventAdminForm(forms.ModelForm):
    reminder_offsets = ReminderOffsetsField(initial=[1440, 60])
    join_opens_minutes = forms.IntegerField(
        label="Join link opens",
        min_value=0,
        max_value=1440,
        required=False,
        help_text="Minutes before the start when registrants can join. Empty keeps the current value.",
    )
    tech_check_minutes = forms.IntegerField(
        label="Technical check",
        min_value=0,
        max_value=1440,
        required=False,
        help_text="Minutes before the start when speakers join for a technical check. Empty keeps the current value.",
    )

    class Meta:
        model = Event
        fields = ["reminder_offsets"]  # the admin adds the fields of its fieldsets

    def _minutes_or_current(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        if value is None:
            return getattr(self.instance, name)  # the model's default on a new event
        return value

    def clean_join_opens_minutes(self) -> int:
        return self._minutes_or_current("join_opens_minutes")

    def clean_tech_check_minutes(self) -> int:
        return self._minutes_or_current("tech_check_minutes")


class EventJoiningForm(forms.ModelForm):
    """What staff set on the event's reminders page: the video link, when it opens, the schedule."""

    reminder_offsets = ReminderOffsetsField()
    join_url = forms.URLField(
        label="Video link",
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://meet.jit.si/…"}),
        help_text="Zoom, Jitsi or any link, for example https://meet.jit.si/NIPS-lecture. Registrants and "
        "speakers reach it through their personal join links.",
        error_messages={"invalid": "Give the whole address of the video room, starting with https://."},
    )
    join_opens_minutes = forms.IntegerField(
        label="Join link opens (minutes before the start)",
        min_value=0,
        max_value=1440,
        help_text="Registrants who open their link earlier see when it opens.",
        error_messages={"required": "Give a number of minutes, for example 15."},
    )
    tech_check_minutes = forms.IntegerField(
        label="Speakers' technical check (minutes before the start)",
        min_value=0,
        max_value=1440,
        help_text="Speakers can join from then on; their briefing gives the time in their own zone.",
        error_messages={"required": "Give a number of minutes, for example 30."},
    )

    class Meta:
        model = Event
        fields = ["join_url", "join_opens_minutes", "tech_check_minutes", "reminder_offsets"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_suffix(self)


class SpeakerProfileForm(forms.Form):
    """What a confirmed speaker may change: the designation the agenda shows, their bio and photo."""

    position = NameField(
        label="Position",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        help_text="For example: Senior Policy Analyst",
    )
    organisation = NameField(
        label="Organisation",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text="For example: NIPS",
    )
    bio = forms.CharField(
        label="Short biography",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A paragraph for the event page, written in the third person.",
        error_messages={
            "max_length": "Please keep the biography under %(limit_value)d characters (it has %(show_value)d)."
        },
    )
    photo = ImageUploadField(
        label="Photo",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="A portrait in JPEG, PNG or WebP, at most 5 MB. It is shown round, so keep your face in the middle.",
        error_messages={
            "invalid_image": "This file is not a photo we can read. Please upload a JPEG, PNG or WebP image.",
        },
    )
    remove_photo = forms.BooleanField(label="Remove my current photo", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_suffix(self)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return photo
        if photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(
                f"This photo is {photo.size / 1024 / 1024:.1f} MB; please upload one of at most 5 MB."
            )
        image = photo.image  # set by ImageField after Pillow verified the file
        if image.format not in PHOTO_FORMATS:
            raise ValidationError("Please upload a JPEG, PNG or WebP image.")
        width, height = image.size
        if width * height > PHOTO_MAX_PIXELS:
            raise ValidationError("This image is too large in pixels; please upload a smaller photo.")
        if min(width, height) < PHOTO_MIN_SIDE:
            raise ValidationError(
                f"This image is only {width}×{height} pixels; please upload one of at least "
                f"{PHOTO_MIN_SIDE}×{PHOTO_MIN_SIDE}."
            )
        return photo

    @staticmethod
    def initial_for(person) -> dict:
        designation = person.designations.all()[:1]
        designation = designation[0] if designation else None
        return {
            "position": designation.position if designation else "",
            "organisation": designation.organisation if designation else "",
            "bio": person.bio,
        }


class SpeakerAnswerForm(forms.Form):
    """The speaker's answer to the invitation, from their personal page."""

    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={
            "required": "Please choose whether you accept or decline.",
            "invalid_choice": "Please choose whether you accept or decline.",
        },
    )
