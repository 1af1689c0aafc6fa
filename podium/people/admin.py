from django.contrib import admin

from podium.core.admin import NameFieldsChecked
from podium.people.models import Designation, Person, Tag


class DesignationInline(NameFieldsChecked, admin.TabularInline):
    model = Designation
    name_fields = ("position", "organisation")
    extra = 1


@admin.register(Person)
class PersonAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("honorific", "given_names", "family_name", "post_nominals", "later_mention_override", "sort_as")
    list_display = ["first_mention_display", "email", "segment", "country", "consent_to_contact"]
    list_filter = ["segment", "retired", "consent_to_contact", "source", "country"]
    search_fields = ["given_names", "family_name", "email", "honorific", "designations__organisation"]
    prepopulated_fields = {"slug": ("given_names", "family_name")}
    inlines = [DesignationInline]
    fieldsets = [
        (
            "Name, as the institute writes it",
            {
                "fields": [
                    "honorific",
                    "retired",
                    "given_names",
                    "family_name",
                    "post_nominals",
                    "later_mention_override",
                    "pronoun",
                    "sort_as",
                    "slug",
                ],
            },
        ),
        ("Profile", {"fields": ["bio", "photo", "country", "time_zone"]}),
        (
            "Contact",
            {
                "fields": [
                    "email",
                    "segment",
                    "tags",
                    "consent_to_contact",
                    "consent_given_at",
                    "unsubscribed_at",
                    "source",
                ]
            },
        ),
    ]
    readonly_fields = ["consent_given_at", "source"]
    filter_horizontal = ["tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("designations")

    @admin.display(description="Name", ordering="family_name")
    def first_mention_display(self, person):
        return person.first_mention


@admin.register(Designation)
class DesignationAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("position", "organisation")
    list_display = ["__str__", "person"]
    search_fields = ["position", "organisation", "person__family_name"]
    autocomplete_fields = ["person"]


@admin.register(Tag)
class TagAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("name",)
    search_fields = ["name"]
