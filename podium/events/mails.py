"""The emails the events app sends (the speaker's invitation), and the sample event every preview uses."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from podium.core.templatetags.podium import when
from podium.events.models import Event, Participation, Role
from podium.events.services import speaker_context
from podium.mail.kinds import MailKind, mail_kind_declare
from podium.people.models import Person

SPEAKER_CONTEXT = ("participation", "event", "person", "speaker_zone", "speaker_url")


def sample_event() -> Event:
    """An unsaved hybrid event a fortnight ahead: online and on site, so every part of an email shows."""
    day = timezone.now().date() + timedelta(days=14)
    starts_at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
    return Event(
        title="Pakistan–Russia Relations: Prospects and Challenges",
        slug="sample-event",
        abstract="Two experts on the partnership's past and future.",
        format=Event.Format.HYBRID,
        location="NIPS Auditorium, Islamabad",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="Asia/Karachi",
    )


def sample_participation() -> Participation:
    """An unsaved main speaker living in another zone than the event's, with a slot and a note."""
    event = sample_event()
    person = Person(
        honorific="Dr.",
        given_names="Vladimir",
        family_name="Kozin",
        email="kozin@example.org",
        time_zone="Europe/Moscow",
    )
    return Participation(
        event=event,
        person=person,
        role=Role.MAIN_SPEAKER,
        talk_title="Energy and security",
        starts_at=event.starts_at + timedelta(minutes=10),
        ends_at=event.starts_at + timedelta(minutes=40),
        briefing_note="Please keep to twenty minutes.\nSlides are welcome.",
        token="sample-speaker",
    )


def _sample_invitation() -> dict:
    context = speaker_context(sample_participation())
    return {name: context[name] for name in SPEAKER_CONTEXT}


mail_kind_declare(
    MailKind(
        name="speaker_invitation",
        description="Invites a speaker to their part in an event, with their personal page to accept or decline.",
        context=SPEAKER_CONTEXT,
        sample=_sample_invitation,
    )
)


def _sample_rescheduled() -> dict:
    context = _sample_invitation()
    event = context["event"]
    earlier = event.starts_at - timedelta(days=1)
    return {**context, "previous_when": when(earlier, earlier + (event.ends_at - event.starts_at), event.time_zone)}


mail_kind_declare(
    MailKind(
        name="speaker_rescheduled",
        description="The event moved to another time: the speaker's part at the new time, with the updated"
        " calendar entry (same UID, higher SEQUENCE).",
        context=(*SPEAKER_CONTEXT, "previous_when"),
        sample=_sample_rescheduled,
    )
)
