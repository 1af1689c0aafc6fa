from django.contrib import admin

from podium.campaigns.models import Campaign, InvitationTemplate
from podium.campaigns.placeholders import template_errors


@admin.register(InvitationTemplate)
class InvitationTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "updated_at"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class CheckedForm(form):
            def clean(self):
                data = super().clean()
                for field in ("subject", "body"):
                    for error in template_errors(data.get(field) or ""):
                        self.add_error(field, error)
                return data

        return CheckedForm


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "status", "send_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "started_at", "finished_at", "heartbeat_at", "created_by", "created_at"]
    filter_horizontal = ["tags", "audiences"]
    raw_id_fields = ["people"]
