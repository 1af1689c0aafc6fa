"""The public search index: one row per listed event, public speaker and published press release."""

from django.db import models


class SearchEntry(models.Model):
    """What the search finds and shows for one public thing; rebuilt from its source, never edited by hand.

    The full-text machinery is the database's own (migration 0002): an FTS5 table kept in step by
    triggers on SQLite, a weighted tsvector column with a GIN index on PostgreSQL.
    """

    class Kind(models.TextChoices):
        EVENT = "event", "Event"
        PERSON = "person", "Speaker"
        REPORT = "report", "Press release"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Shown next to the hit (an event's start, a press release's publication), in the event's zone.
    date = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
