"""The admin form of a video room: server secrets are write-only (typed in, never shown again)."""

from django import forms
from django.db import models

from podium.video.models import VideoRoom

# (form field, model field, what is used when the room has none)
SECRETS = [
    ("new_jitsi_jwt_secret", "jitsi_jwt_secret", "PODIUM_JITSI_JWT_SECRET"),
    ("new_bbb_secret", "bbb_secret", "PODIUM_BBB_SECRET"),
]


def _formfield(field: models.Field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # the scheme people leave out
    return field.formfield(**kwargs)


class VideoRoomAdminForm(forms.ModelForm):
    new_jitsi_jwt_secret = forms.CharField(
        label="JWT secret",
        required=False,
        strip=True,
        max_length=300,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_jitsi_jwt_secret = forms.BooleanField(label="Remove the room's JWT secret", required=False)
    new_bbb_secret = forms.CharField(
        label="Shared secret",
        required=False,
        strip=True,
        max_length=300,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_bbb_secret = forms.BooleanField(label="Remove the room's shared secret", required=False)

    class Meta:
        model = VideoRoom
        fields = [  # the secrets are not editable fields: they are set through the new_* fields below
            "event",
            "engine",
            "jitsi_server",
            "room_name",
            "embed",
            "jitsi_jwt",
            "jitsi_app_id",
            "jitsi_audience",
            "bbb_api_url",
            "bbb_checksum_algorithm",
            "meeting_id",
            "welcome",
            "moderator_message",
            "link_url",
        ]
        formfield_callback = _formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field, model_field, setting in SECRETS:
            if getattr(self.instance, model_field):
                state = "This room has its own secret. Type a new one to replace it; it is never shown."
            else:
                state = f"Not set: {setting} is used. Type one to give this room its own; it is never shown."
            self.fields[form_field].help_text = state

    def save(self, commit=True):
        room = super().save(commit=False)
        for form_field, model_field, _ in SECRETS:
            if self.cleaned_data.get(form_field):
                setattr(room, model_field, self.cleaned_data[form_field])
            elif self.cleaned_data.get(form_field.replace("new_", "clear_", 1)):
                setattr(room, model_field, "")
        if commit:
            room.save()
            self.save_m2m()  # set by ModelForm.save(commit=False) above
        return room
