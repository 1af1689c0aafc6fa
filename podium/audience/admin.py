from django.contrib import admin

from podium.audience.models import SavedAudience
from podium.core.admin import NameFieldsChecked


@admin.register(SavedAudience)
class SavedAudienceAdmin(NameFieldsChecked, admin.ModelAdmin):
    name_fields = ("name",)
    list_display = ["name", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
