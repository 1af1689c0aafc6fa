"""The admin of series and events, with each event's agenda, registration questions and attachments."""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils import timezone

from podium.core.selectors import organisation_get

from podium.events.forms import EventAdminForm
from podium.events.models import Attachment, Event, Participation, Question, Series
from podium.registrations.services import event_seats_changed
from podium.video.admin import video_room_summary


ATTACHMENT_KIND_HELP = ("Shown on the public event page once the event is over. A recording is shown only for "
                        "events held on the record.")


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["order", "role", "person", "talk_title", "starts_at", "ends_at", "confirmation", "briefing_note"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["order", "kind", "title", "url", "file"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    verbose_name = "recording, slides or document"
    verbose_name_plural = "recordings, slides and documents"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "kind":
            field.help_text = ATTACHMENT_KIND_HELP
        return field


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
        ("When", {"fields": ["time_zone", "starts_at", "ends_at"],
                  "description": "Dates and times are in the event's own time zone (for a new event, the "
                                 "organisation's default zone until you save)."}),
        ("Publishing", {"fields": ["status", "visibility", "attribution"]}),
        ("Registration", {"fields": ["registration_mode", "capacity", "registration_opens_at", "registration_closes_at"]}),
        ("Joining and reminders", {
            "fields": ["join_url", "video_room_link", "join_opens_minutes", "tech_check_minutes", "reminder_offsets"],
            "description": "Registrants and speakers reach the video link through their personal join links; "
                           "the staff Reminders page shows what was sent.",
        }),
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


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "event", "order", "confirmation", "invited_at", "responded_at"]
    list_filter = ["role", "confirmation"]
    autocomplete_fields = ["person", "event"]
    list_select_related = ["person", "event"]
    # Answers come from the speaker's own link; invitations are sent from the staff Speakers page.
    readonly_fields = ["invited_at", "invited_by", "responded_at"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "kind", "required"]
    list_select_related = ["event"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "event", "order"]
    list_filter = ["kind"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    fields = ["event", "kind", "title", "url", "file", "order"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "kind":
            # Staff should not wonder why a recording they attached is missing from the page.
            field.help_text = ATTACHMENT_KIND_HELP
        return field
