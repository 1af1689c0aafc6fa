"""Writes of the organisation settings."""

from django.db import transaction

from podium.core.models import Organisation
from podium.core.selectors import organisation_forget


def organisation_save(*, organisation: Organisation) -> Organisation:
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        transaction.on_commit(organisation_forget)
    return organisation
