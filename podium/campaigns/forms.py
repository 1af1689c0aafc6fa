"""Staff forms for invitation templates, campaigns and their sending time."""

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from podium.audience.models import SavedAudience
from podium.campaigns.models import InvitationTemplate
from podium.campaigns.placeholders import template_errors
from podium.core.forms import MAX_ID, NameField
from podium.events.models import Event
from podium.people.models import Person, Segment, Tag


def _check(text: str) -> str:
    errors = template_errors(text)
    if errors:
        raise forms.ValidationError(errors)
    return text


class InvitationTemplateForm(forms.ModelForm):
    name = NameField(max_length=150)

    class Meta:
        model = InvitationTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_subject(self):
        return _check(self.cleaned_data["subject"])

    def clean_body(self):
        return _check(self.cleaned_data["body"])


class TemplatePickForm(forms.Form):
    """The "Use this template" button of the campaign form (no script): which template to fill from."""

    template = forms.ModelChoiceField(
        queryset=InvitationTemplate.objects.all(),
        error_messages={"required": "Choose a template first.", "invalid_choice": "That template no longer exists."},
    )


class CampaignForm(forms.Form):
    event = forms.ModelChoiceField(queryset=Event.objects.none(), help_text="The event you invite people to.")
    name = NameField(max_length=200, help_text="For your own list, e.g. “Diplomats, first round”.")
    template = forms.ModelChoiceField(
        queryset=InvitationTemplate.objects.all(),
        required=False,
        label="Start from a template",
        help_text="Fills the subject and text below when they are empty.",
    )
    subject = forms.CharField(max_length=300, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), required=False, label="Text")
    segments = forms.MultipleChoiceField(choices=Segment.choices, required=False, widget=forms.CheckboxSelectMultiple)
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.ModelMultipleChoiceField(
        queryset=SavedAudience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Saved audiences",
    )
    people = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Individuals",
        help_text="Email addresses of people in the directory, one per line or separated by commas.",
    )
    restrict_to_email = forms.BooleanField(
        required=False,
        initial=True,
        label="Only the invited address may register",
        help_text="Someone who receives a forwarded invitation cannot use it with another address.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        event_field = self.fields["event"]
        assert isinstance(event_field, forms.ModelChoiceField)  # declared above; the stubs type fields as Field
        event_field.queryset = Event.objects.exclude(
            status__in=[Event.Status.ENDED, Event.Status.REPORT_PUBLISHED]
        ).order_by("starts_at")

    @classmethod
    def initial_from_post(cls, data, *, template: InvitationTemplate | None = None) -> dict[str, Any]:
        """What was typed, as initial values of a fresh form (no errors shown for a half-filled form);
        with a template, its subject and text fill the fields that are still empty."""
        initial: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.BooleanField):
                initial[name] = name in data
            elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                initial[name] = data.getlist(name)
            else:
                initial[name] = data.get(name, "")
        if template is not None:
            for name in ("subject", "body"):
                if not initial[name].strip():
                    initial[name] = getattr(template, name)
        return initial

    def clean_people(self):
        text = self.cleaned_data["people"]
        emails = [e.strip().lower() for e in text.replace(",", "\n").replace(";", "\n").split() if e.strip()]
        people = list(Person.objects.filter(email__in=emails))
        unknown = sorted(set(emails) - {p.email for p in people})
        if unknown:
            raise forms.ValidationError(
                "Not in the directory: %(emails)s. Add them to the directory first, or remove them.",
                params={"emails": ", ".join(unknown)},
            )
        return people

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        template = data.get("template")
        if template is not None:
            data["subject"] = data.get("subject") or template.subject
            data["body"] = data.get("body") or template.body
        for field in ("subject", "body"):
            if not data.get(field, "").strip():
                self.add_error(field, "Write it here, or start from a template.")
            else:
                for error in template_errors(data[field]):
                    self.add_error(field, error)
        if not self.errors and not (
            data.get("segments") or data.get("tags") or data.get("audiences") or data.get("people")
        ):
            raise forms.ValidationError("Choose who to invite: at least one segment, tag, saved audience or person.")
        return data

    @classmethod
    def initial_from(cls, campaign) -> dict:
        return {
            "event": campaign.event_id,
            "name": campaign.name,
            "subject": campaign.subject,
            "body": campaign.body,
            "segments": campaign.segments,
            "tags": list(campaign.tags.all()),
            "audiences": list(campaign.audiences.all()),
            "people": "\n".join(p.email for p in campaign.people.all()),
            "restrict_to_email": campaign.restrict_to_email,
        }


class ScheduleForm(forms.Form):
    """When to send, read in the event's time zone (the one the campaign's page shows throughout); and,
    on the confirmation's own POST, that the person confirmed and how many recipients they were shown."""

    when = forms.ChoiceField(
        choices=[("now", "Send now"), ("later", "Send at a set time")],
        widget=forms.RadioSelect,
        initial="now",
        label="When",
    )
    send_at = forms.DateTimeField(
        required=False,
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    expected = forms.IntegerField(required=False, min_value=0, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args, zone: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(zone)
        self.fields["send_at"].help_text = f"In the event's time zone, {self.zone.key}."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") == "later":
            send_at: datetime | None = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", "Give the date and time to send.")
            else:
                # The browser's value has no zone: read it in the event's.
                data["send_at"] = timezone.make_aware(send_at.replace(tzinfo=None), self.zone)
        else:
            data["send_at"] = None
        if data.get("confirmed") and data.get("expected") is None:
            self.add_error(None, "Say how many people you confirmed: go back to the campaign and start again.")
        return data

    @property
    def send_at_local(self) -> str:
        """The cleaned time as the datetime-local field writes it, to carry it through the confirmation."""
        send_at = self.cleaned_data.get("send_at")
        return send_at.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M") if send_at else ""
