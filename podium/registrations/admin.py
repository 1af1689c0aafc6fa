from django.contrib import admin

from podium.core.admin import NameFieldsChecked
from podium.registrations.models import Invitation, Registration


@admin.register(Registration)
class RegistrationAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("name", "organisation", "designation")
    list_display = ["name", "email", "event", "segment", "status", "created_at"]
    list_filter = ["status", "segment", "event"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event"]
    autocomplete_fields = ["person"]
    # Status changes go through the staff pages, which keep the waiting list and emails right.
    readonly_fields = [
        "event",
        "status",
        "token",
        "manage_token",
        "status_changed_at",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
        "invitation",
        "joined_at",
    ]
    exclude = []

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("name",)
    list_display = ["email", "name", "event", "response", "restrict_to_email", "created_at"]
    list_filter = ["event"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["person", "event"]
    readonly_fields = ["token", "response", "responded_at"]
