"""The admin of series and of an event's parts: its agenda, registration questions and attachments.

The event's own admin page puts these together with its seats and its video room, which belong to
apps above this one: it is registered in podium.staff.admin."""

from django import forms
from django.contrib import admin
from django.db import models

from podium.events.models import Attachment, Participation, Question, Series

ATTACHMENT_KIND_HELP = (
    "Shown on the public event page once the event is over. A recording is shown only for events held on the record."
)


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
        if field is not None and db_field.name == "kind":
            field.help_text = ATTACHMENT_KIND_HELP
        return field


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
        if field is not None and db_field.name == "kind":
            # Staff should not wonder why a recording they attached is missing from the page.
            field.help_text = ATTACHMENT_KIND_HELP
        return field
