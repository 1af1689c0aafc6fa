from django.contrib import admin, messages

from podium.events.models import Event, Participation, Question, Series
from podium.registrations.services import event_seats_changed


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["order", "role", "person", "talk_title", "starts_at", "ends_at", "confirmation"]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "starts_at", "status", "visibility", "registration_mode", "capacity"]
    list_filter = ["status", "visibility", "registration_mode", "attribution", "series"]
    search_fields = ["title", "abstract"]
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline, QuestionInline]
    fieldsets = [
        (None, {"fields": ["series", "title", "slug", "abstract", "format", "location"]}),
        ("When", {"fields": ["starts_at", "ends_at", "time_zone"],
                  "description": "Times are entered in the site's zone (UTC); the page shows them in the event's zone."}),
        ("Publishing", {"fields": ["status", "visibility", "attribution"]}),
        ("Registration", {"fields": ["registration_mode", "capacity", "registration_opens_at", "registration_closes_at"]}),
    ]

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
    list_display = ["person", "role", "event", "order", "confirmation"]
    list_filter = ["role", "confirmation"]
    autocomplete_fields = ["person", "event"]
    list_select_related = ["person", "event"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "kind", "required"]
    list_select_related = ["event"]
