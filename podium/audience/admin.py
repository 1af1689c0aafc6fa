from django.contrib import admin

from podium.audience.models import SavedAudience


@admin.register(SavedAudience)
class SavedAudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
