"""Writes of the directory: a person added by staff where they need them (the agenda builder), or
joining it themselves when they register (with their consent)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from podium.core.errors import ApplicationError
from podium.people.models import Designation, Person
from podium.people.naming import name_split


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
            source=Person.Source.STAFF,
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


def person_self_register(
    *, name: str, email: str, segment: str = "", organisation: str = "", designation: str = "", consent_at: datetime
) -> Person:
    """Someone who registered themselves and agreed to be kept in the directory (decision 30).

    A record that has the address already is returned unchanged: whoever sends a public form may not
    own the address, so they must not rename anyone, nor give or take back anyone's consent. The name
    as typed is split like an imported one ("Brig (Retd) Amir Yaqub": rank, retired, given, family).
    """
    email = email.strip().lower()
    existing = Person.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    parts = name_split(name)
    for key, limit in (("honorific", 80), ("given_names", 150), ("family_name", 150)):  # Person's lengths
        parts[key] = parts[key][:limit]  # a name of one very long word still fits
    try:
        with transaction.atomic():  # a savepoint: the same address joining twice at once
            person = Person.objects.create(
                **parts,
                email=email,
                segment=segment,
                source=Person.Source.SELF_REGISTERED,
                consent_to_contact=True,
                consent_given_at=consent_at,
            )
            position, organisation = designation.strip(), organisation.strip()
            if position or organisation:
                Designation.objects.create(person=person, position=position, organisation=organisation)
    except IntegrityError:
        return Person.objects.get(email__iexact=email)
    return person
