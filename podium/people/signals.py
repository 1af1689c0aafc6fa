"""Signals about people that model signals cannot carry.

Bulk writes (the contact import's executemany updates, bulk_create) bypass post_save. The writer
sends `people_changed_in_bulk` after its transaction commits, with the ids it changed, so that apps
above (search keeps speakers' entries) can follow without the writer knowing about them.
"""

from django.dispatch import Signal

# Sent after commit with person_ids: list[int].
people_changed_in_bulk = Signal()
