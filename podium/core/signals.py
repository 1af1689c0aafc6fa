"""Keeps the cached organisation fresh however the row is saved (admin included)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from podium.core.models import Organisation
from podium.core.selectors import organisation_forget


@receiver([post_save, post_delete], sender=Organisation)
def organisation_changed(**kwargs) -> None:
    organisation_forget()
