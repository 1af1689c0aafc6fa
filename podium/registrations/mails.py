"""The emails a registrant receives when their registration changes, declared with their context and samples."""

from datetime import timedelta
from functools import partial

from podium.core.templatetags.podium import when
from podium.events.mails import sample_event
from podium.mail.kinds import MailKind, mail_kind_declare
from podium.registrations.models import Registration
from podium.registrations.services import join_link, manage_url

Status = Registration.Status


def sample_registration(status: str = Status.CONFIRMED) -> Registration:
    """An unsaved registration for the sample event."""
    event = sample_event()
    return Registration(
        event=event,
        name="Ambassador (Retd) Shahid M Amin",
        email="amin@example.org",
        segment="diplomat",
        status=status,
        status_changed_at=event.starts_at - timedelta(days=7),
        token="sample-join-token",
        manage_token="sample-manage-token",
        decline_reason=(
            "Seats at this round table are kept for serving officials; the recording will be on our website."
            if status == Status.DECLINED
            else ""
        ),
    )


def _sample(context: tuple[str, ...], status: str) -> dict:
    registration = sample_registration(status)
    values = {
        "registration": registration,
        "event": registration.event,
        "manage_url": manage_url(registration),
        "join_url": join_link(registration),
    }
    return {name: values[name] for name in context}


# (name, status of the registration when it is sent, names its templates read, description)
NOTICES = [
    (
        "registration_received",
        Status.PENDING,
        ("registration", "event", "manage_url"),
        "Registration received; the organisers approve each one.",
    ),
    (
        "registration_confirmed",
        Status.CONFIRMED,
        ("registration", "event", "manage_url", "join_url"),
        "Place confirmed, with the calendar file and the personal join link.",
    ),
    (
        "registration_waitlisted",
        Status.WAITLISTED,
        ("registration", "event", "manage_url"),
        "All seats taken: on the waiting list.",
    ),
    (
        "registration_repeated",
        Status.CONFIRMED,
        ("registration", "event", "manage_url"),
        "The public form was sent again for an address already registered: nothing changed; the owner"
        " gets their own manage link to change details.",
    ),
    (
        "registration_promoted",
        Status.CONFIRMED,
        ("registration", "event", "manage_url", "join_url"),
        "A seat became free and goes to the first on the waiting list.",
    ),
    (
        "registration_cancelled",
        Status.CANCELLED,
        ("registration", "event"),
        "The registrant cancelled.",
    ),
    (
        "registration_approved",
        Status.CONFIRMED,
        ("registration", "event", "manage_url", "join_url"),
        "The organisers approved the registration and a seat was free.",
    ),
    (
        "registration_approved_waitlisted",
        Status.WAITLISTED,
        ("registration", "event", "manage_url"),
        "The organisers approved the registration, but every seat was taken.",
    ),
    (
        "registration_declined",
        Status.DECLINED,
        ("registration", "event"),
        "The organisers declined the registration.",
    ),
]

for name, status, context, description in NOTICES:
    mail_kind_declare(
        MailKind(name=name, description=description, context=context, sample=partial(_sample, context, status))
    )


def _sample_rescheduled() -> dict:
    context = _sample(("registration", "event", "manage_url", "join_url"), Status.CONFIRMED)
    event = context["event"]
    earlier = event.starts_at - timedelta(days=1)
    return {**context, "previous_when": when(earlier, earlier + (event.ends_at - event.starts_at), event.time_zone)}


mail_kind_declare(
    MailKind(
        name="event_rescheduled",
        description="The event moved to another time: the new time, and for a confirmed place the updated"
        " calendar entry (same UID, higher SEQUENCE) and the join link.",
        context=("registration", "event", "manage_url", "join_url", "previous_when"),
        sample=_sample_rescheduled,
    )
)
