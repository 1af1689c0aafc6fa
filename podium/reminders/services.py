"""Reminders before events: confirmed registrants get their join link, speakers their briefing.

`reminders_sweep` is a periodic job (podium.core.periodic, every 15 s in the worker). For each
announced or live event that has not started, the reminder time that passed most recently is the
one that goes out; earlier ones that were missed are never sent late (docs/architecture.md has the
exact rule). Every email carries a dedupe key, so a second sweep, a sweep in another worker or a
restarted worker queues nothing that is already in the outbox.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from podium.events.models import MAX_REMINDER_OFFSET_MINUTES, Event
from podium.events.services import calendar_attachment, speaker_context, speaker_join_link
from podium.mail.services import message_queue
from podium.registrations.services import join_link, manage_url
from podium.reminders import selectors
from podium.reminders.selectors import BRIEFING, REMINDER, SENDING_STATUSES

logger = logging.getLogger("podium.reminders")

# Messages queued per transaction: a worker that dies loses at most one chunk, which the next sweep redoes.
CHUNK = 200


def event_reminders_queue(*, event: Event, offset: int) -> int:
    """Queue this reminder for every confirmed registrant who has not had it; returns how many were queued."""
    queued = 0
    recipients = selectors.reminder_recipients(event=event, offset=offset)
    for start in range(0, len(recipients), CHUNK):
        with transaction.atomic():
            for registration, key in recipients[start : start + CHUNK]:
                personal_join, manage = join_link(registration), manage_url(registration)
                message = message_queue(
                    to_email=registration.email,
                    to_name=registration.name,
                    kind=REMINDER,
                    context={
                        "registration": registration,
                        "event": event,
                        "join_url": personal_join,
                        "manage_url": manage,
                    },
                    event=event,
                    registration=registration,
                    attachments=[calendar_attachment(event=event, join_hint=f"Join the event: {personal_join}")],
                    dedupe_key=key,
                )
                queued += message is not None
    return queued


def event_briefings_queue(*, event: Event, offset: int) -> int:
    """Queue the speakers' briefing for this reminder time; returns how many were queued."""
    queued = 0
    with transaction.atomic():
        for participation, key in selectors.briefing_recipients(event=event, offset=offset):
            personal_join = speaker_join_link(participation)
            message = message_queue(
                to_email=participation.person.email,
                to_name=participation.person.styled_name,
                kind=BRIEFING,
                context=speaker_context(participation),
                event=event,
                attachments=[calendar_attachment(event=event, join_hint=f"Your join link: {personal_join}")],
                dedupe_key=key,
            )
            queued += message is not None
    return queued


def reminders_sweep(*, now: datetime | None = None) -> int:
    """Queue every reminder and briefing that is due now; returns how many emails were queued."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status__in=SENDING_STATUSES,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(minutes=MAX_REMINDER_OFFSET_MINUTES),
    ).order_by("starts_at")
    total = 0
    for event in events:
        offset = selectors.reminder_due(event=event, now=now)
        if offset is None:
            continue
        queued = event_reminders_queue(event=event, offset=offset) + event_briefings_queue(event=event, offset=offset)
        if queued:
            logger.info("Queued %s reminders and briefings for %s (%s minutes before)", queued, event, offset)
        total += queued
    return total
