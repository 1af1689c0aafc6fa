"""Admin views of reports for support and audit: versions are read-only, as they are everywhere."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from podium.reports.models import Point, Report, ReportVersion, Transcript, TranscriptSpeaker, TranscriptTurn


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


VERSION_FIELDS = ("number", "headline", "change", "author", "created_at")


class VersionInline(admin.TabularInline):
    model = ReportVersion
    fields = VERSION_FIELDS
    readonly_fields = VERSION_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["event", "status", "published_at", "workspace"]
    list_filter = ["status"]
    search_fields = ["event__title"]
    list_select_related = ["event"]
    inlines = [VersionInline]

    @admin.display(description="Edit")
    def workspace(self, report):
        # Drafts are written on the staff page, which keeps versions and checks approval.
        return format_html('<a href="{}">Press release page</a>', reverse("reports:workspace", args=[report.event_id]))


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnly):
    list_display = ["report", "number", "headline", "change", "author", "created_at"]
    list_select_related = ["report__event", "author"]


@admin.register(Point)
class PointAdmin(admin.ModelAdmin):
    list_display = ["participation", "text", "source", "created_at"]
    list_filter = ["source"]
    list_select_related = ["participation__person", "participation__event"]
    search_fields = ["text", "event__title"]
    raw_id_fields = ["event", "participation", "created_by"]


@admin.register(Transcript)
class TranscriptAdmin(ReadOnly):
    list_display = ["filename", "event", "word_count", "uploaded_by", "uploaded_at"]
    list_select_related = ["event", "uploaded_by"]


@admin.register(TranscriptSpeaker)
class TranscriptSpeakerAdmin(ReadOnly):
    list_display = ["label", "transcript", "participation", "confirmed", "word_count"]
    list_select_related = ["transcript", "participation__person"]


@admin.register(TranscriptTurn)
class TranscriptTurnAdmin(ReadOnly):
    list_display = ["transcript", "speaker", "start", "text"]
    list_select_related = ["transcript", "speaker"]
