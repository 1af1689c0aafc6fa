"""A spreadsheet of contacts on its way into the directory: its rows, column mapping, dry run and progress."""

from django.conf import settings
from django.db import models


class ContactImport(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKED = "checked", "Checked"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=20, help_text="CSV or Excel workbook")
    headers = models.JSONField(default=list, blank=True)
    # The parsed file lives in the database, not on disk: the worker may run on another machine
    # and shares only the database. Each row is [spreadsheet row number, value, value, ...].
    # Emptied once the import is done or cancelled, so no second copy of the contacts stays here.
    rows = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True, help_text="The first rows, for the mapping page.")
    # One field key per column ("" = ignored), in the order of `headers`.
    mapping = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)

    # The dry run.
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    problem_rows = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0, help_text="Exact; `problems` keeps only the first ones.")
    problems = models.JSONField(default=list, blank=True, help_text="[{row, column, message}, ...]")

    # The import itself.
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Also the heartbeat of a running import: every chunk sets it.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def progress_text(self) -> str:
        return f"{self.processed_rows:,} of {self.total_rows:,} rows"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)

    @property
    def has_counts(self) -> bool:
        """Has it written anything, so that its created, updated and skipped counts mean something?"""
        return self.status in (self.Status.IMPORTING, self.Status.DONE, self.Status.FAILED)

    @property
    def is_checked(self) -> bool:
        return self.status == self.Status.CHECKED

    @property
    def is_importing(self) -> bool:
        return self.status == self.Status.IMPORTING

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED
