"""Writes of registrations: register, update, cancel, approve, decline, serve the waiting list and promote by hand.

Seats are scarce: every change that can take or free a seat locks the event row first and
re-counts confirmed registrations inside the same transaction (SQLite: an IMMEDIATE
transaction, which holds the database's write lock). Emails are queued in the outbox in the
same transaction and go out after commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.events.models import Event
from podium.events.services import calendar_attachment
from podium.mail.services import message_queue
from podium.people.models import Person
from podium.registrations.models import Invitation, Registration, new_token

Status = Registration.Status


@dataclass
class RegistrationOutcome:
    registration: Registration
    created: bool


def join_link(registration: Registration) -> str:
    """The personal join link: it opens shortly before the start (podium.live.admission.join_decide).

    It only lets its holder into the event; it shows no email and cannot change or cancel anything,
    so it is the one link a calendar entry carries."""
    return settings.SITE_URL + reverse("live:join", kwargs={"token": registration.token})


def manage_url(registration: Registration) -> str:
    """The registration page (details, changes, cancelling): sent only in the registrant's own emails."""
    return settings.SITE_URL + reverse("registrations:manage", kwargs={"token": registration.manage_token})


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Locking ------------------------------------------------------------------------------

LOCK_TIMEOUT_MS = 5000


def _event_locked(event_id: int) -> Event:
    """Lock the event row for the rest of the transaction; waiting writers queue behind it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{LOCK_TIMEOUT_MS}ms"])
    return Event.objects.select_for_update(no_key=True).get(pk=event_id)


@contextmanager
def _locked_event(event: Event) -> Iterator[Event]:
    """`with _locked_event(event) as event:` – one atomic block holding the event's lock.

    A lock we could not get in time (PostgreSQL's lock_timeout, SQLite's busy timeout)
    becomes a polite ApplicationError (503, try again) instead of a server error.
    """
    try:
        with transaction.atomic():
            yield _event_locked(event.pk)
    except OperationalError as error:
        if "lock" not in str(error).lower():
            raise
        raise ApplicationError(
            "Many people are registering right now. Please try again in a moment.", status=503
        ) from error


def seats_taken(*, event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.CONFIRMED).count()


def seats_left(*, event: Event) -> int | None:
    """Free seats computed from what is held, never from a counter; None when unlimited."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event=event), 0)


def _seat_free(event: Event) -> bool:
    left = seats_left(event=event)
    return left is None or left > 0


@dataclass(frozen=True)
class RegistrationOffer:
    """What the event page and the registration form offer a visitor now, and the words of their
    button: the same rule `_status_for_new` applies when the form is sent."""

    is_open: bool
    seats_left: int | None  # None when the event has no limit
    needs_approval: bool

    @property
    def is_full(self) -> bool:
        return self.seats_left is not None and self.seats_left <= 0

    @property
    def joins_waiting_list(self) -> bool:
        """Does a new registration go onto the waiting list? (Under approval it waits for the organisers.)"""
        return self.is_full and not self.needs_approval

    @property
    def action(self) -> str:
        if self.needs_approval:
            return "Request a place"
        if self.joins_waiting_list:
            return "Join the waiting list"
        return "Register"


def registration_offer(*, event: Event) -> RegistrationOffer:
    return RegistrationOffer(
        is_open=event.registration_is_open(), seats_left=seats_left(event=event), needs_approval=event.needs_approval
    )


# Email ---------------------------------------------------------------------------------

WITH_CALENDAR = {"registration_confirmed", "registration_promoted", "registration_approved"}


def _notify(registration: Registration, kind: str, *, dedupe_key: str | None = None) -> None:
    """Queue one of the registration emails (declared in podium.registrations.mails).

    Without a dedupe_key, one email of each kind per status the registration takes."""
    event = registration.event
    manage, join = manage_url(registration), join_link(registration)
    # The calendar entry carries the join link only: calendars are shared and synced, the manage link is not.
    # The "registered again" notice brings it too when there is a seat: the owner may have lost it, and a
    # new registration's answer costs the same work (decision 5: the time taken must not tell).
    with_calendar = kind in WITH_CALENDAR or (kind == "registration_repeated" and registration.is_confirmed)
    attachments = [calendar_attachment(event=event, join_hint=f"Join the event: {join}")] if with_calendar else []
    stamp = int(registration.status_changed_at.timestamp() * 1_000_000)
    message_queue(
        to_email=registration.email,
        to_name=registration.name,
        kind=kind,
        context={
            "registration": registration,
            "event": event,
            "manage_url": manage,
            "join_url": join,
        },
        event=event,
        registration=registration,
        attachments=attachments,
        dedupe_key=dedupe_key or f"registration:{registration.pk}:{kind}:{stamp}",
    )


NOTICE_FOR_STATUS: dict[str, str] = {
    Status.CONFIRMED: "registration_confirmed",
    Status.WAITLISTED: "registration_waitlisted",
    Status.PENDING: "registration_received",
}


# Registering -----------------------------------------------------------------------------


def _invitation_check(*, event: Event, email: str, invitation: Invitation | None) -> None:
    if event.registration_mode != Event.RegistrationMode.INVITATION:
        return
    if invitation is None or invitation.event_id != event.pk:
        raise ApplicationError("Registration for this event is by invitation only.")
    if invitation.restrict_to_email and normalise_email(invitation.email) != email:
        raise ApplicationError(
            f"This invitation is for {invitation.email}. Please register with that address.", field="email"
        )


def _status_for_new(event: Event) -> str:
    if event.registration_mode == Event.RegistrationMode.APPROVAL:
        return Status.PENDING
    return Status.CONFIRMED if _seat_free(event) else Status.WAITLISTED


def registration_submit(
    *,
    event: Event,
    name: str,
    email: str,
    segment: str,
    organisation: str = "",
    designation: str = "",
    answers: dict | None = None,
    invitation: Invitation | None = None,
) -> RegistrationOutcome:
    """Register someone under the event's rules.

    The form is public, so whoever sends it may not own the address. If the address already has an
    active registration for the event, nothing in it changes and the caller learns nothing: the
    outcome is handled exactly like a new registration's (the view shows the same page), and the
    address's owner is emailed their own manage link ("registration_repeated"), where they can
    change their details. The same holds for a registration the organisers declined. The seat count
    and the directory look-up run either way, so the time taken does not tell either. A cancelled
    registration comes back to life (below).
    """
    email = normalise_email(email)
    details = dict(
        name=name.strip(),
        organisation=organisation.strip(),
        designation=designation.strip(),
        segment=segment,
        answers=answers or {},
    )
    with _locked_event(event) as event:
        if not event.registration_is_open():
            raise ApplicationError("Registration for this event is closed.")
        _invitation_check(event=event, email=email, invitation=invitation)
        now = timezone.now()
        registration = Registration.objects.filter(event=event, email__iexact=email).first()
        status = _status_for_new(event)
        person = Person.objects.filter(email__iexact=email).first()

        if registration is not None and registration.status != Status.CANCELLED:
            # Active, or declined by the organisers (which registering again must not undo). The
            # sender is perhaps not the address's owner: change nothing, and tell the owner (at most
            # once an hour, so that sending the form again and again cannot flood their inbox).
            hour = int(now.timestamp()) // 3600
            _notify(registration, "registration_repeated", dedupe_key=f"registration:{registration.pk}:repeated:{hour}")
            return RegistrationOutcome(registration=registration, created=False)

        if registration is None:
            registration = Registration.objects.create(
                event=event,
                email=email,
                person=person,
                invitation=invitation,
                status=status,
                status_changed_at=now,
                **details,
            )
        else:  # a cancelled registration comes back to life and queues again
            # with new links: whoever registers now must not inherit the old ones.
            registration.token, registration.manage_token = new_token(), new_token()
            for field, value in details.items():
                setattr(registration, field, value)
            registration.status, registration.status_changed_at = status, now
            registration.person = registration.person or person
            registration.decided_by, registration.decided_at = None, None
            registration.save()
        _notify(registration, NOTICE_FOR_STATUS[status])
        return RegistrationOutcome(registration=registration, created=True)


def registration_update(
    *,
    registration: Registration,
    name: str,
    segment: str,
    organisation: str = "",
    designation: str = "",
    answers: dict | None = None,
) -> Registration:
    """The registrant changed their details on the manage page; their place is unchanged."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.name = name.strip()
        registration.organisation = organisation.strip()
        registration.designation = designation.strip()
        registration.segment = segment
        if answers is not None:
            registration.answers = answers
        registration.save()
    return registration


# Leaving, deciding and the waiting list ----------------------------------------------------


def waitlist_promote(*, event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, earliest first. Call with the event locked."""
    promoted = []
    while _seat_free(event):
        registration = (
            Registration.objects.select_related("event")
            .filter(event=event, status=Status.WAITLISTED)
            .order_by("status_changed_at", "pk")
            .first()
        )
        if registration is None:
            break
        registration.status = Status.CONFIRMED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at", "updated_at"])
        _notify(registration, "registration_promoted")
        promoted.append(registration)
    return promoted


def registration_promote(*, registration: Registration, by) -> Registration:
    """Staff give a free seat to this person on the waiting list, whatever their place in it.

    Refused, with a message, when no seat is free or the registration is no longer waiting."""
    with _locked_event(registration.event) as event:
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if registration.event_id != event.pk or not registration.is_waitlisted:
            raise ApplicationError(
                f"{registration.name} is no longer on the waiting list ({registration.get_status_display().lower()}).",
                status=409,
            )
        if not _seat_free(event):
            raise ApplicationError(
                f"No seat is free, so {registration.name} stays on the waiting list. "
                "Raise the event's capacity first, or wait for someone to cancel.",
                status=409,
            )
        registration.status = Status.CONFIRMED
        registration.status_changed_at = registration.decided_at = timezone.now()
        registration.decided_by = by
        registration.save(update_fields=["status", "status_changed_at", "decided_at", "decided_by", "updated_at"])
        _notify(registration, "registration_promoted")
    return registration


def registration_cancel(*, registration: Registration) -> Registration:
    """The registrant gives up their place; the earliest on the waiting list takes it."""
    with _locked_event(registration.event) as event:
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if not registration.is_active:
            return registration
        held_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.status_changed_at = timezone.now()
        registration.save(update_fields=["status", "status_changed_at", "updated_at"])
        _notify(registration, "registration_cancelled")
        if held_seat:
            waitlist_promote(event=event)
    return registration


def _approve(registration: Registration, event: Event, by) -> bool:
    if registration.status != Status.PENDING:
        return False
    registration.status = Status.CONFIRMED if _seat_free(event) else Status.WAITLISTED
    registration.status_changed_at = registration.decided_at = timezone.now()
    registration.decided_by = by
    registration.save(update_fields=["status", "status_changed_at", "decided_at", "decided_by", "updated_at"])
    approved = registration.status == Status.CONFIRMED
    _notify(registration, "registration_approved" if approved else "registration_approved_waitlisted")
    return True


def _decline(registration: Registration, event: Event, by) -> bool:
    if registration.status not in (Status.PENDING, Status.WAITLISTED, Status.CONFIRMED):
        return False
    held_seat = registration.status == Status.CONFIRMED
    registration.status = Status.DECLINED
    registration.status_changed_at = registration.decided_at = timezone.now()
    registration.decided_by = by
    registration.save(update_fields=["status", "status_changed_at", "decided_at", "decided_by", "updated_at"])
    _notify(registration, "registration_declined")
    if held_seat:
        waitlist_promote(event=event)
    return True


def registrations_decide(*, event: Event, registration_ids: list[int], approve: bool, by) -> int:
    """Approve or decline registrations of one event, in one transaction; returns how many changed.

    Approvals are applied earliest registration first, so seats go in order of arrival.
    """
    decide = _approve if approve else _decline
    with _locked_event(event) as event:
        registrations = list(
            Registration.objects.select_related("event")
            .filter(event=event, pk__in=registration_ids)
            .order_by("created_at", "pk")
        )
        return sum(decide(registration, event, by) for registration in registrations)


def registration_approve(*, registration: Registration, by) -> int:
    return registrations_decide(event=registration.event, registration_ids=[registration.pk], approve=True, by=by)


def registration_decline(*, registration: Registration, by) -> int:
    return registrations_decide(event=registration.event, registration_ids=[registration.pk], approve=False, by=by)


def event_seats_changed(*, event: Event) -> list[Registration]:
    """After staff raise the capacity: give the new seats to the waiting list."""
    with _locked_event(event) as event:
        return waitlist_promote(event=event)


def invitation_create(
    *, event: Event, email: str, name: str = "", restrict_to_email: bool = True, person: Person | None = None
) -> Invitation:
    email = normalise_email(email)
    invitation, _ = Invitation.objects.get_or_create(
        event=event,
        email=email,
        defaults={"name": name, "restrict_to_email": restrict_to_email, "person": person},
    )
    return invitation


# Joining ------------------------------------------------------------------------------------------


def registration_joined(*, registration: Registration, now: datetime | None = None) -> bool:
    """Record the first time a registrant opened their join link; later opens change nothing.

    One conditional UPDATE, so two tabs opened at once still record a single time.
    """
    now = now or timezone.now()
    changed = Registration.objects.filter(pk=registration.pk, joined_at__isnull=True).update(joined_at=now)
    if changed:
        registration.joined_at = now
    return bool(changed)
