"""Reads for reminders: who is due which reminder, and the schedule and briefings as staff see them."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q

from podium.events.models import Event, Participation
from podium.events.schedule import offset_label
from podium.mail.models import Message
from podium.registrations.models import Registration

REMINDER = "event_reminder"
BRIEFING = "speaker_briefing"
SENDING_STATUSES = (Event.Status.ANNOUNCED, Event.Status.LIVE)


def _prefix(kind: str, event: Event, offset: int | None = None) -> str:
    """Keys name the event's start: if the event moves, its reminders go out again with the new time."""
    prefix = f"{kind}:{event.pk}:{int(event.starts_at.timestamp())}:"
    return prefix if offset is None else f"{prefix}{offset}:"


def reminder_key(*, event: Event, offset: int, registration: Registration) -> str:
    """One reminder per registration, per offset, per spell of being confirmed.

    The stamp of the registration's current status means someone who cancels and registers again
    (and so has a new personal link) can be reminded again with the new link; otherwise it never changes.
    """
    stamp = int(registration.status_changed_at.timestamp() * 1_000_000)
    return f"{_prefix('reminder', event, offset)}{registration.pk}:{stamp}"


def briefing_key(*, event: Event, offset: int, participation: Participation) -> str:
    return f"{_prefix('briefing', event, offset)}{participation.pk}"


def due_at(event: Event, offset: int) -> datetime:
    return event.starts_at - timedelta(minutes=offset)


def reminder_due(*, event: Event, now: datetime) -> int | None:
    """The reminder whose time has come most recently (the smallest offset already passed), if any.

    Once the event has started, or while it is not announced or live, nothing is due.
    """
    if event.status not in SENDING_STATUSES or now >= event.starts_at:
        return None
    passed = [offset for offset in event.reminder_offsets if due_at(event, offset) <= now]
    return min(passed) if passed else None


def _sent_keys(*, event: Event, kind: str, prefix: str) -> set[str]:
    """One query for every key of this reminder already in the outbox (queued, sent or failed)."""
    keys = Message.objects.filter(event=event, kind=kind, dedupe_key__startswith=prefix).values_list(
        "dedupe_key", flat=True
    )
    return {key for key in keys if key is not None}  # never None here: startswith does not match NULL


def reminder_recipients(*, event: Event, offset: int) -> list[tuple[Registration, str]]:
    """Confirmed registrants who have not had this reminder, each with the reminder's dedupe key.

    The last reminder before the start goes to everyone confirmed. An earlier one goes only to
    people confirmed by its due time: someone confirmed two hours before the start waits for the
    one-hour reminder instead of getting the one-day one late.
    """
    registrations = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).order_by("pk")
    if offset != min(event.reminder_offsets):
        registrations = registrations.filter(status_changed_at__lte=due_at(event, offset))
    sent = _sent_keys(event=event, kind=REMINDER, prefix=_prefix("reminder", event, offset))
    pending = []
    for registration in registrations:
        key = reminder_key(event=event, offset=offset, registration=registration)
        if key not in sent:
            registration.event = event  # templates read it; saves a query per person
            pending.append((registration, key))
    return pending


def _speakers(event: Event):
    return (
        event.participations.on_agenda()
        .exclude(person__email="")
        .select_related("person")
        .prefetch_related("person__designations")
        .order_by("order", "pk")
    )


def briefing_recipients(*, event: Event, offset: int) -> list[tuple[Participation, str]]:
    """Speakers on the agenda (not declined, with an email) who have not had this briefing."""
    sent = _sent_keys(event=event, kind=BRIEFING, prefix=_prefix("briefing", event, offset))
    pending = []
    for participation in _speakers(event):
        key = briefing_key(event=event, offset=offset, participation=participation)
        if key not in sent:
            participation.event = event
            pending.append((participation, key))
    return pending


# Staff pages ------------------------------------------------------------------------------


class ReminderState(enum.StrEnum):
    UPCOMING = "upcoming"  # not due yet
    DUE = "due"  # goes out with the worker's next round
    SENT = "sent"
    SKIPPED = "skipped"  # a later reminder was already due; only the latest goes out
    MISSED = "missed"  # the event started before it went out
    INACTIVE = "inactive"  # the event is neither announced nor live, so nothing goes out


@dataclass
class ScheduleRow:
    offset: int
    label: str
    due_at: datetime
    state: ReminderState
    reminders_sent: int
    briefings_sent: int

    # For the template, which asks rather than compares.
    @property
    def is_sent(self) -> bool:
        return self.state == ReminderState.SENT

    @property
    def is_due(self) -> bool:
        return self.state == ReminderState.DUE

    @property
    def is_upcoming(self) -> bool:
        return self.state == ReminderState.UPCOMING

    @property
    def is_skipped(self) -> bool:
        return self.state == ReminderState.SKIPPED

    @property
    def is_inactive(self) -> bool:
        return self.state == ReminderState.INACTIVE


def reminder_schedule(*, event: Event, now: datetime) -> list[ScheduleRow]:
    """Each reminder of the event with its due time and what happened, in one query."""
    offsets = sorted(event.reminder_offsets, reverse=True)
    if not offsets:
        return []
    counts = Message.objects.filter(event=event, kind__in=[REMINDER, BRIEFING]).aggregate(
        **{
            **{
                f"r{o}": Count("pk", filter=Q(kind=REMINDER, dedupe_key__startswith=_prefix("reminder", event, o)))
                for o in offsets
            },
            **{
                f"b{o}": Count("pk", filter=Q(kind=BRIEFING, dedupe_key__startswith=_prefix("briefing", event, o)))
                for o in offsets
            },
        }
    )
    latest = reminder_due(event=event, now=now)
    rows = []
    for offset in offsets:
        reminders, briefings = counts[f"r{offset}"], counts[f"b{offset}"]
        due = due_at(event, offset)
        if reminders or briefings:
            state = ReminderState.SENT
        elif now < due:
            state = ReminderState.UPCOMING
        elif event.status not in SENDING_STATUSES and now < event.starts_at:
            state = ReminderState.INACTIVE
        elif now >= event.starts_at:
            state = ReminderState.MISSED
        elif offset == latest:
            state = ReminderState.DUE
        else:
            state = ReminderState.SKIPPED
        rows.append(
            ScheduleRow(
                offset=offset,
                label=offset_label(offset),
                due_at=due,
                state=state,
                reminders_sent=reminders,
                briefings_sent=briefings,
            )
        )
    return rows


@dataclass
class SpeakerBriefings:
    participation: Participation
    sent: list[tuple[str, datetime]]  # (offset label, when queued), earliest first


def speaker_briefings(*, event: Event, participations: list[Participation]) -> list[SpeakerBriefings]:
    """The briefings each speaker has had for the event's current time, from one query of the outbox."""
    sent: dict[int, list[tuple[int, datetime]]] = {}
    briefings = Message.objects.filter(event=event, kind=BRIEFING, dedupe_key__startswith=_prefix("briefing", event))
    for key, created_at in briefings.values_list("dedupe_key", "created_at"):
        assert key is not None  # startswith does not match NULL
        offset, participation_id = key.split(":")[3:5]
        sent.setdefault(int(participation_id), []).append((int(offset), created_at))
    return [
        SpeakerBriefings(
            participation=p,
            sent=[(offset_label(o), at) for o, at in sorted(sent.get(p.pk, []), key=lambda item: item[1])],
        )
        for p in participations
    ]


def confirmed_count(*, event: Event) -> int:
    return Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
