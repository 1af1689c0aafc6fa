"""Named audiences: a directory filter the events team saved to invite again."""

from django.conf import settings
from django.db import models


class SavedAudience(models.Model):
    name = models.CharField(max_length=150, unique=True)
    # The directory filter as the staff page's query parameters: q, segment, tag, country, history, event.
    query = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
