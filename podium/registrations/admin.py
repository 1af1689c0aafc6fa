from django.contrib import admin

from podium.registrations.models import Invitation, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
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
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "event", "response", "restrict_to_email", "created_at"]
    list_filter = ["event"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["person", "event"]
    readonly_fields = ["token", "response", "responded_at"]
