"""Writes of the audience directory: saved audiences and unsubscribing."""

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from podium.audience.models import SavedAudience
from podium.audience.selectors import DirectoryFilter
from podium.core.errors import ApplicationError
from podium.people.models import Person

UNSUBSCRIBE_SALT = "podium.audience.unsubscribe"


def saved_audience_create(*, name: str, directory_filter: DirectoryFilter, by=None) -> SavedAudience:
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Give the audience a name.", field="name")
    if directory_filter.is_empty:
        raise ApplicationError("Choose at least one filter first: an audience of everyone is the whole directory.")
    try:
        with transaction.atomic():
            return SavedAudience.objects.create(name=name, query=directory_filter.as_query(), created_by=by)
    except IntegrityError:
        raise ApplicationError(f"There is already an audience called “{name}”.", field="name") from None


def unsubscribe_token(*, person: Person) -> str:
    """A signed, unguessable token naming the person: the HMAC needs SECRET_KEY, so nobody can
    unsubscribe someone else by changing a number."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(person.pk))


def person_from_unsubscribe_token(*, token: str) -> Person | None:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk).first()


def person_unsubscribe(*, person: Person) -> bool:
    """No more campaign email; transactional mail (confirmations, reminders) still goes.
    Returns False when the person had already unsubscribed."""
    return Person.objects.filter(pk=person.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=timezone.now()) == 1


def person_resubscribe(*, person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(unsubscribed_at=None)
