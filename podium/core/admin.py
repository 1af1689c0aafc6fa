from django.contrib import admin

from podium.core.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "parent_name", "default_time_zone"]

    def has_add_permission(self, request):
        # One organisation per installation.
        return super().has_add_permission(request) and not Organisation.objects.exists()
