from typing import Any

from django import forms
from django.contrib import admin

from podium.campaigns.models import Campaign, InvitationTemplate
from podium.campaigns.placeholders import template_errors
from podium.core.admin import NameFieldsChecked


class InvitationTemplateAdminForm(forms.ModelForm):
    """Refuses unknown placeholders, as the staff pages do. No Meta: the admin builds the form for the
    model from this class and shows all of its fields."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for field in ("subject", "body"):
            for error in template_errors(data.get(field) or ""):
                self.add_error(field, error)
        return data


@admin.register(InvitationTemplate)
class InvitationTemplateAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("name",)
    form = InvitationTemplateAdminForm
    list_display = ["name", "subject", "updated_at"]


@admin.register(Campaign)
class CampaignAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("name",)
    list_display = ["name", "event", "status", "send_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "started_at", "finished_at", "heartbeat_at", "created_by", "created_at"]
    filter_horizontal = ["tags", "audiences"]
    raw_id_fields = ["people"]
