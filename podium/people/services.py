"""Writes of the directory: a person added by staff where they need them (the agenda builder)."""

from dataclasses import dataclass

from django.db import transaction

from podium.core.errors import ApplicationError
from podium.people.models import Designation, Person


@dataclass(frozen=True)
class DesignationInput:
    position: str
    organisation: str
    comma: bool = True


def person_create(
    *,
    family_name: str,
    given_names: str = "",
    honorific: str = "",
    retired: bool = False,
    pronoun: str = "",
    email: str = "",
    designations: list[DesignationInput] | tuple[DesignationInput, ...] = (),
) -> Person:
    """A new person in the directory with their designations, in the order given."""
    family_name = family_name.strip()
    if not family_name:
        raise ApplicationError("Give the person's family name.", field="family_name")
    email = email.strip().lower()
    if email and Person.objects.filter(email__iexact=email).exists():
        raise ApplicationError("Someone in the directory already has this email address.", field="email")
    with transaction.atomic():
        person = Person.objects.create(
            family_name=family_name,
            given_names=given_names.strip(),
            honorific=honorific.strip(),
            retired=retired,
            pronoun=pronoun,
            email=email,
        )
        order = 0
        for designation in designations:
            position, organisation = designation.position.strip(), designation.organisation.strip()
            if position or organisation:
                Designation.objects.create(
                    person=person, position=position, organisation=organisation, comma=designation.comma, order=order
                )
                order += 1
    return person
