"""What the staff registrations pages accept: the list's filter and the approve/decline action."""

from typing import Any

from django import forms

from podium.core.forms import IdListField
from podium.registrations.models import Registration


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All"), *Registration.Status.choices], required=False)
    q = forms.CharField(max_length=100, required=False)


class DecideForm(forms.Form):
    """Approve or decline the ticked registrations, or (with ?only=<id>) the one row whose button was pressed."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        error_messages={
            "required": "Choose whether to approve or decline.",
            "invalid_choice": "Choose whether to approve or decline.",
        },
    )
    registration = IdListField(required=False)
    only = IdListField(required=False)
    next = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # A row's own button decides that row only, whatever else is ticked.
        data["ids"] = data.get("only") or data.get("registration") or []
        if "decision" in data and not data["ids"] and not self.errors:
            raise forms.ValidationError("Select at least one registration first.")
        return data
