"""Writes of registrations: register (or be added by staff), update, cancel, approve, decline (and
undo it), serve the waiting list and promote by hand.

Seats are scarce: every change that can take or free a seat locks the event row first and
re-counts confirmed registrations inside the same transaction (SQLite: an IMMEDIATE
transaction, which holds the database's write lock). Emails are queued in the outbox in the
same transaction and go out after commit.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from podium.core.errors import ApplicationError
from podium.core.templatetags.podium import when
from podium.events.models import Event
from podium.events.services import TIME_FIELDS, calendar_attachment, event_update, speakers_reschedule_notify
from podium.mail.kinds import RenderedMail, mail_kind_get
from podium.mail.models import Message
from podium.mail.services import message_queue, message_withdraw
from podium.people.models import Person
from podium.people.services import person_self_register
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


def _mail_context(registration: Registration) -> dict:
    return {
        "registration": registration,
        "event": registration.event,
        "manage_url": manage_url(registration),
        "join_url": join_link(registration),
    }


def _notify(
    registration: Registration, kind: str, *, dedupe_key: str | None = None, hold_for: timedelta | None = None
) -> None:
    """Queue one of the registration emails (declared in podium.registrations.mails).

    Without a dedupe_key, one email of each kind per status the registration takes."""
    event = registration.event
    context = _mail_context(registration)
    join = context["join_url"]
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
        context=context,
        event=event,
        registration=registration,
        attachments=attachments,
        dedupe_key=dedupe_key or f"registration:{registration.pk}:{kind}:{stamp}",
        hold_for=hold_for,
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
    directory_consent: bool = False,
) -> RegistrationOutcome:
    """Register someone under the event's rules.

    The form is public, so whoever sends it may not own the address. If the address already has an
    active registration for the event, nothing in it changes and the caller learns nothing: the
    outcome is handled exactly like a new registration's (the view shows the same page), and the
    address's owner is emailed their own manage link ("registration_repeated"), where they can
    change their details. The same holds for a registration the organisers declined. The seat count
    and the directory look-up run either way, so the time taken does not tell either. A cancelled
    registration comes back to life (below).

    `directory_consent`: the registrant ticked "keep me in the directory". Someone not yet in it
    joins it, marked as self-registered with the time of their consent (decision 30); a directory
    record that has the address already is only linked, never changed from a public form.
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
            registration.decline_reason, registration.declined_from, registration.declined_from_changed_at = (
                "",
                "",
                None,
            )
            registration.save()
        if registration.person is None and directory_consent:
            registration.person = person_self_register(
                name=registration.name,
                email=email,
                segment=segment,
                organisation=registration.organisation,
                designation=registration.designation,
                consent_at=now,
            )
            registration.save(update_fields=["person", "updated_at"])
        _notify(registration, NOTICE_FOR_STATUS[status])
        return RegistrationOutcome(registration=registration, created=True)


def registration_add(
    *,
    event: Event,
    name: str,
    email: str,
    segment: str,
    organisation: str = "",
    designation: str = "",
    person: Person | None = None,
    send_email: bool = True,
    by,
) -> Registration:
    """Staff add someone by hand: confirmed if a seat is free, otherwise on the waiting list.

    Staff decide, so the event's approval and invitation rules and its closing date do not apply;
    the seats do (no over-booking), counted under the event's lock as for the public form. Unlike the
    public form, staff are told when the address is registered already, and which registration it is.
    A cancelled or declined registration comes back to life with new links (staff admit them after all).
    """
    email = normalise_email(email)
    details = dict(
        name=name.strip(),
        organisation=organisation.strip(),
        designation=designation.strip(),
        segment=segment,
    )
    with _locked_event(event) as event:
        now = timezone.now()
        registration = Registration.objects.filter(event=event, email__iexact=email).first()
        if registration is not None and registration.is_active:
            registered = date_format(timezone.localtime(registration.created_at, event.zone), "j M Y")
            raise ApplicationError(
                f"{email} is registered for this event already: {registration.name}, "
                f"{registration.get_status_display().lower()}, since {registered}.",
                field="email",
                status=409,
            )
        status = Status.CONFIRMED if _seat_free(event) else Status.WAITLISTED
        person = person or Person.objects.filter(email__iexact=email).first()
        if registration is None:
            registration = Registration.objects.create(
                event=event, email=email, person=person, status=status, status_changed_at=now, **details
            )
        else:
            registration.token, registration.manage_token = new_token(), new_token()
            for field, value in details.items():
                setattr(registration, field, value)
            registration.person = person or registration.person
            registration.status, registration.status_changed_at = status, now
            registration.decline_reason, registration.declined_from, registration.declined_from_changed_at = (
                "",
                "",
                None,
            )
        registration.decided_by, registration.decided_at = by, now
        registration.save()
        if send_email:
            _notify(registration, NOTICE_FOR_STATUS[status])
    return registration


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


DECLINE_REASON_MAX = 1000


def decline_hold() -> timedelta:
    """How long a decline's email waits in the outbox: the time staff have to undo the decline."""
    return timedelta(seconds=settings.PODIUM_DECLINE_UNDO_SECONDS)


def _decline(registration: Registration, event: Event, by, reason: str = "") -> bool:
    if registration.status not in (Status.PENDING, Status.WAITLISTED, Status.CONFIRMED):
        return False
    held_seat = registration.status == Status.CONFIRMED
    # The place held before, kept so that the decline can be undone while its email waits.
    registration.declined_from, registration.declined_from_changed_at = (
        registration.status,
        registration.status_changed_at,
    )
    registration.decline_reason = reason
    registration.status = Status.DECLINED
    registration.status_changed_at = registration.decided_at = timezone.now()
    registration.decided_by = by
    registration.save(
        update_fields=[
            "status",
            "status_changed_at",
            "decided_at",
            "decided_by",
            "decline_reason",
            "declined_from",
            "declined_from_changed_at",
            "updated_at",
        ]
    )
    _notify(registration, "registration_declined", hold_for=decline_hold() or None)
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


def _reason_normalise(reason: str) -> str:
    # Line breaks kept (the email prints them), other runs of spaces made one, the ends trimmed.
    return "\n".join(" ".join(line.split()) for line in reason.strip().splitlines()).strip()


def _reason_clean(reason: str) -> str:
    reason = _reason_normalise(reason)
    if len(reason) > DECLINE_REASON_MAX:
        raise ApplicationError(
            f"The reason is {len(reason)} characters long; at most {DECLINE_REASON_MAX} fit.", field="reason"
        )
    return reason


def registration_decline(*, registration: Registration, by, reason: str = "") -> Registration:
    """Staff decline one registration, with an optional reason sent to the person.

    A seat it held goes to the waiting list at once (as when someone cancels); the email waits
    PODIUM_DECLINE_UNDO_SECONDS in the outbox, during which registration_decline_undo can take it back."""
    reason = _reason_clean(reason)
    with _locked_event(registration.event) as event:
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if registration.event_id != event.pk or not _decline(registration, event, by, reason):
            raise ApplicationError(
                f"{registration.name}'s registration is {registration.get_status_display().lower()}, "
                "so it cannot be declined.",
                status=409,
            )
    return registration


def registration_decline_preview(*, registration: Registration, reason: str = "") -> RenderedMail:
    """The decline email as this person would receive it, with this reason; nothing is saved."""
    preview = copy.copy(registration)
    preview.decline_reason = _reason_normalise(reason)[:DECLINE_REASON_MAX]
    return mail_kind_get("registration_declined").render(_mail_context(preview))


def decline_email(*, registration: Registration) -> Message | None:
    """The email announcing the registration's latest decline, if one was queued."""
    return (
        Message.objects.filter(registration=registration, kind="registration_declined")
        .order_by("-created_at", "-pk")
        .first()
    )


def registration_decline_undo(*, registration: Registration, by) -> Registration:
    """Take a decline back while its email has not gone: the email is withdrawn, and the registration
    returns to the place it held (a waiting person to their old place in the queue).

    Refused with a message when the email has gone or is going (the sender's claim and the
    withdrawal cannot both win: podium.mail.services.message_withdraw), or when the seat the person
    held has gone to someone else meanwhile. All under the event's lock, in one transaction."""
    with _locked_event(registration.event) as event:
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        name = registration.name
        if registration.event_id != event.pk or not registration.is_declined or not registration.declined_from:
            raise ApplicationError(
                f"{name}'s registration is {registration.get_status_display().lower()} now; "
                "there is no decline to undo.",
                status=409,
            )
        message = decline_email(registration=registration)
        gone = ApplicationError(
            f"The email telling {name} of the decline has been sent (or is being sent), so the decline "
            "stands. To let them in after all, add them by hand.",
            status=409,
        )
        if message is None or not message.is_queued:
            raise gone
        restored = registration.declined_from
        if restored == Status.CONFIRMED and not _seat_free(event):
            raise ApplicationError(
                f"The seat {name} held has gone to someone else meanwhile, so the decline stands and its "
                "email will go. To let them in after all, free a seat or raise the capacity, then add them by hand.",
                status=409,
            )
        if not message_withdraw(message=message):  # a sender claimed it since we read it
            raise gone
        registration.status = restored
        registration.status_changed_at = registration.declined_from_changed_at or timezone.now()
        registration.decline_reason, registration.declined_from, registration.declined_from_changed_at = "", "", None
        # Back to pending is back to undecided; otherwise the undo is the latest decision.
        undecided = restored == Status.PENDING
        registration.decided_by, registration.decided_at = (None, None) if undecided else (by, timezone.now())
        registration.save()
        if restored == Status.WAITLISTED:
            waitlist_promote(event=event)  # a seat freed meanwhile is theirs if they are first
    return registration


def event_seats_changed(*, event: Event) -> list[Registration]:
    """After staff raise the capacity: give the new seats to the waiting list."""
    with _locked_event(event) as event:
        return waitlist_promote(event=event)


# Rescheduling -------------------------------------------------------------------------------------

RESCHEDULED = "event_rescheduled"


def reschedule_audience(*, event: Event):
    """Who is told when the event moves: every registration still expecting it (confirmed, pending,
    waiting list); cancelled and declined people are not."""
    return Registration.objects.filter(event=event).active().order_by("pk")


def event_reschedule(*, event: Event, notify: bool = True, **fields) -> tuple[Event, set[str], int]:
    """Save the event's settings (events.services.event_update) and, when that moves its start, end or
    time zone and `notify` holds, queue one "event_rescheduled" email per active registration, and one
    "speaker_rescheduled" per speaker on the agenda (events.services.speakers_reschedule_notify), in the
    same transaction; they go out after commit. Confirmed people get the updated calendar entry: the
    same UID, a higher SEQUENCE, so their calendar moves the entry it holds (decision 34). Reminders
    need nothing: they are computed from the start time and keyed by it (podium.reminders).
    Returns the event, the names of the fields that changed and how many emails were queued."""
    with transaction.atomic():
        before = Event.objects.get(pk=event.pk)
        event, changed = event_update(event=event, **fields)
        queued = 0
        if notify and changed & set(TIME_FIELDS) and not event.is_draft:
            previous = when(before.starts_at, before.ends_at, before.time_zone)
            for registration in reschedule_audience(event=event):
                registration.event = event
                context = {**_mail_context(registration), "previous_when": previous}
                attachments = []
                if registration.is_confirmed:
                    hint = f"Join the event: {context['join_url']}"
                    attachments = [calendar_attachment(event=event, join_hint=hint)]
                message = message_queue(
                    to_email=registration.email,
                    to_name=registration.name,
                    kind=RESCHEDULED,
                    context=context,
                    event=event,
                    registration=registration,
                    attachments=attachments,
                    dedupe_key=f"rescheduled:{registration.pk}:{event.calendar_sequence}",
                )
                queued += message is not None
            queued += speakers_reschedule_notify(event=event, previous_when=previous)
    return event, changed, queued


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
