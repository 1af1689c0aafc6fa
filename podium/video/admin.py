"""Video rooms in Django's admin: secrets write-only, never listed."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from podium.video.forms import VideoRoomAdminForm
from podium.video.models import VideoRoom


@admin.register(VideoRoom)
class VideoRoomAdmin(admin.ModelAdmin):
    form = VideoRoomAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["event", "engine", "prepared_at", "ended_at"]  # never a secret
    list_filter = ["engine"]
    list_select_related = ["event"]
    search_fields = ["event__title", "room_name", "meeting_id"]
    autocomplete_fields = ["event"]
    readonly_fields = ["prepared_at", "ended_at"]
    fieldsets = [
        (None, {"fields": ["event", "engine"]}),
        (
            "Jitsi Meet",
            {
                "fields": [
                    "jitsi_server",
                    "room_name",
                    "embed",
                    "jitsi_jwt",
                    "jitsi_app_id",
                    "jitsi_audience",
                    "new_jitsi_jwt_secret",
                    "clear_jitsi_jwt_secret",
                ]
            },
        ),
        (
            "BigBlueButton",
            {
                "fields": [
                    "bbb_api_url",
                    "bbb_checksum_algorithm",
                    "meeting_id",
                    "welcome",
                    "moderator_message",
                    "new_bbb_secret",
                    "clear_bbb_secret",
                    "prepared_at",
                    "ended_at",
                ]
            },
        ),
        (
            "Link (Zoom or any other service)",
            {
                "fields": ["link_url"],
                "description": "Placeholders {name}, {email} and {registration_id} are filled in, URL-encoded, for "
                "each person when they join, e.g. https://example.zoom.us/w/123?uname={name}.",
            },
        ),
    ]


def video_room_summary(event) -> str:
    """For the event's admin page: which room the event has, with a link to change or add it."""
    if event is None or event.pk is None:
        return "Save the event first; then add its video room here."
    room = VideoRoom.objects.filter(event=event).first()
    if room is None:
        add = reverse("admin:video_videoroom_add") + f"?event={event.pk}"
        if event.join_url:
            return format_html(
                'None: people are sent to the video link above. <a href="{}">Add a video room</a> '
                "for Jitsi Meet, BigBlueButton or a per-person link.",
                add,
            )
        return format_html('None yet. <a href="{}">Add a video room</a>.', add)
    return format_html(
        '{} (<a href="{}">change</a>)',
        room.get_engine_display(),
        reverse("admin:video_videoroom_change", args=[room.pk]),
    )
