from django.contrib import admin

from podium.imports.models import ContactImport


@admin.register(ContactImport)
class ContactImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made and run on the staff pages or with `podium import-contacts`."""

    list_display = [
        "file_name",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "skipped_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    exclude = ["rows", "preview"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("rows", "preview")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
