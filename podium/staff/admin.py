"""The Django admin's event page: the event with its agenda, questions and attachments (from the events
app), its video room (video) and what a change of capacity does to the waiting list (registrations).
It lives at the top, with the other staff pages, because it puts those apps together."""

import zoneinfo

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone

from podium.core.selectors import organisation_get
from podium.events.admin import AttachmentInline, ParticipationInline, QuestionInline
from podium.events.forms import EventAdminForm
from podium.events.models import Event
from podium.registrations.services import event_seats_changed
from podium.video.admin import video_room_summary


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "series", "starts_at", "status", "visibility", "registration_mode", "capacity"]
    list_filter = ["status", "visibility", "registration_mode", "attribution", "series"]
    search_fields = ["title", "abstract"]
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline, QuestionInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["series", "title", "slug", "abstract", "purpose", "format", "location"]}),
        (
            "When",
            {
                "fields": ["time_zone", "starts_at", "ends_at"],
                "description": "Dates and times are in the event's own time zone (for a new event, the "
                "organisation's default zone until you save).",
            },
        ),
        ("Publishing", {"fields": ["status", "visibility", "attribution"]}),
        (
            "Registration",
            {"fields": ["registration_mode", "capacity", "registration_opens_at", "registration_closes_at"]},
        ),
        (
            "Joining and reminders",
            {
                "fields": [
                    "join_url",
                    "video_room_link",
                    "join_opens_minutes",
                    "tech_check_minutes",
                    "reminder_offsets",
                ],
                "description": "Registrants and speakers reach the video link through their personal join links; "
                "the staff Reminders page shows what was sent.",
            },
        ),
    ]

    readonly_fields = ["video_room_link"]

    @admin.display(description="video room")
    def video_room_link(self, obj):
        return video_room_summary(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Staff think in the event's own zone ("15:00 in Islamabad"), not in UTC.
        with timezone.override(self._zone(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):  # a TemplateResponse renders lazily: do it in the zone
                response.render()
            return response

    @staticmethod
    def _zone(request, object_id) -> str:
        posted = request.POST.get("time_zone", "")
        if posted in zoneinfo.available_timezones():
            return posted
        if object_id:
            event = Event.objects.filter(pk=object_id).only("time_zone").first()
            if event:
                return event.time_zone
        return organisation_get().default_time_zone

    def save_model(self, request, obj, form, change):
        if change and {"starts_at", "ends_at", "title", "location"} & set(form.changed_data):
            obj.calendar_sequence += 1
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = event_seats_changed(event=obj)
            if promoted:
                messages.info(request, f"{len(promoted)} people moved from the waiting list to confirmed.")
