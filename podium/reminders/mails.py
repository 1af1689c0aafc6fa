"""The emails sent before an event: the registrant's reminder and the speaker's briefing."""

from podium.events.mails import SPEAKER_CONTEXT, sample_participation
from podium.events.services import speaker_context
from podium.mail.kinds import MailKind, mail_kind_declare
from podium.registrations.mails import sample_registration
from podium.registrations.services import join_link, manage_url
from podium.reminders.selectors import BRIEFING, REMINDER


def _sample_reminder() -> dict:
    registration = sample_registration()
    return {
        "registration": registration,
        "event": registration.event,
        "join_url": join_link(registration),
        "manage_url": manage_url(registration),
    }


def _sample_briefing() -> dict:
    return speaker_context(sample_participation())


mail_kind_declare(
    MailKind(
        name=REMINDER,
        description="Reminds a confirmed registrant of the event, with their join link and the calendar file.",
        context=("registration", "event", "join_url", "manage_url"),
        sample=_sample_reminder,
    )
)
mail_kind_declare(
    MailKind(
        name=BRIEFING,
        description="Briefs a speaker before the event: their part, the technical check and their join link.",
        context=(*SPEAKER_CONTEXT, "join_url"),
        sample=_sample_briefing,
    )
)
