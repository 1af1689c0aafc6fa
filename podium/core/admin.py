from django.contrib import admin

from podium.core.models import Organisation
from podium.core.text import validate_name_text


class NameFieldsChecked:
    """For a ModelAdmin or inline: the fields listed in `name_fields` refuse line breaks and hidden
    characters (podium.core.text.validate_name_text), as the public forms' names do."""

    name_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.name in self.name_fields:
            field.validators = [*field.validators, validate_name_text]
        return field


@admin.register(Organisation)
class OrganisationAdmin(NameFieldsChecked, admin.ModelAdmin):
    list_display = ["name", "short_name", "parent_name", "default_time_zone"]
    name_fields = ("name", "short_name", "parent_name")

    def has_add_permission(self, request):
        # One organisation per installation.
        return super().has_add_permission(request) and not Organisation.objects.exists()
