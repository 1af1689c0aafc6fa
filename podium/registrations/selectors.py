"""Reads of registrations and invitations."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from podium.core.selectors import related_count
from podium.events.models import Event, Question
from podium.events.selectors import event_get_visible
from podium.mail.models import Message
from podium.registrations.models import Invitation, Registration

SESSION_INVITATIONS = "podium_invitations"


def registration_get_by_manage_token(*, token: str) -> Registration | None:
    """The registration behind a manage link. Its join token (podium.live.admission) opens nothing here."""
    if not token:
        return None
    return Registration.objects.select_related("event", "event__series").filter(manage_token=token).first()


def waitlist_position(*, registration: Registration) -> int | None:
    """1 for the next person to get a seat; None if not on the waiting list."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        status_changed_at__lt=registration.status_changed_at,
    ).count()
    return ahead + 1


def registration_counts(*, event: Event) -> dict[str, int]:
    counts = dict(Registration.objects.filter(event=event).values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Registration.Status.values}


UNDO_LIST_LIMIT = 20


def declines_undoable(*, event: Event) -> list[Registration]:
    """Declines whose email still waits in the outbox, latest first: staff can still undo them.

    One query, however many there are (at most UNDO_LIST_LIMIT, the latest)."""
    waiting_email = Message.objects.filter(
        registration=OuterRef("pk"), kind="registration_declined", status=Message.Status.QUEUED
    )
    return list(
        Registration.objects.filter(event=event, status=Registration.Status.DECLINED)
        .exclude(declined_from="")
        .filter(Exists(waiting_email))
        .order_by("-status_changed_at", "-pk")[:UNDO_LIST_LIMIT]
    )


def registration_count_annotations() -> dict:
    """Per event: confirmed, waiting list and awaiting approval, as subqueries for a list of events."""
    S = Registration.Status
    return {
        "confirmed_count": related_count(Registration.objects.filter(status=S.CONFIRMED), to="event"),
        "waitlisted_count": related_count(Registration.objects.filter(status=S.WAITLISTED), to="event"),
        "pending_count": related_count(Registration.objects.filter(status=S.PENDING), to="event"),
    }


def event_registrations(*, event: Event, status: str = "", search: str = "") -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event).select_related("decided_by")
    if status:
        registrations = registrations.filter(status=status)
    if search:
        registrations = (
            registrations.filter(name__icontains=search)
            | registrations.filter(email__icontains=search)
            | registrations.filter(organisation__icontains=search)
        )
    return registrations.order_by("status_changed_at", "pk")


@dataclass(frozen=True)
class RegistrationTable:
    """An event's registrations as rows of plain values, for the CSV and XLSX exports."""

    header: list[str]
    rows: Iterator[list[str | bool | None]]


# Questions whose answers fit a cell; others (none yet) are left out of the export.
EXPORTED_QUESTION_KINDS = {Question.Kind.TEXT, Question.Kind.LONG_TEXT, Question.Kind.CHOICE, Question.Kind.CHECKBOX}


def registration_table(*, event: Event, status: str = "", search: str = "") -> RegistrationTable:
    """The registrations the staff page shows under the same filter, one row each, with the time of
    registering in the event's zone and a column per question. Two queries, however many rows."""
    zone = event.zone
    questions = [q for q in event.questions.order_by("order", "pk") if q.kind in EXPORTED_QUESTION_KINDS]
    header = [
        "Name",
        "Email",
        "Organisation",
        "Designation",
        "Segment",
        "Status",
        f"Registered at ({event.time_zone})",
        *(q.label for q in questions),
    ]

    def rows() -> Iterator[list[str | bool | None]]:
        registrations = event_registrations(event=event, status=status, search=search)
        for r in registrations.iterator(chunk_size=500):
            answers = r.answers if isinstance(r.answers, dict) else {}
            row: list[str | bool | None] = [
                r.name,
                r.email,
                r.organisation,
                r.designation,
                r.get_segment_display(),
                r.get_status_display(),
                r.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            ]
            for q in questions:
                answer = answers.get(str(q.pk))
                value = answer.get("answer") if isinstance(answer, dict) else None
                row.append(value if isinstance(value, str | bool) or value is None else str(value))
            yield row

    return RegistrationTable(header=header, rows=rows())


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("event").filter(token=token).first()


def invitations_from_session(session) -> list[Invitation]:
    tokens = session.get(SESSION_INVITATIONS, [])
    if not tokens:
        return []
    return list(Invitation.objects.filter(token__in=tokens))


def invited_event_ids(session) -> set[int]:
    return {invitation.event_id for invitation in invitations_from_session(session)}


def invitation_for_event(*, session, event: Event) -> Invitation | None:
    for invitation in invitations_from_session(session):
        if invitation.event_id == event.pk:
            return invitation
    return None


def event_get_for_visitor(*, slug: str, user, session) -> Event | None:
    """The event if this visitor may see it: drafts for staff, invitation-only events for staff and
    holders of an invitation opened in this browser session. None otherwise, as for no event at all."""
    return event_get_visible(slug=slug, user=user, invited_event_ids=invited_event_ids(session))
