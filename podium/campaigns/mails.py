"""The email campaigns send: the invitation, rendered from the text staff wrote (not from a template file)."""

from podium.campaigns.models import Campaign
from podium.campaigns.placeholders import PLACEHOLDERS
from podium.campaigns.rendering import CampaignRenderer
from podium.events.mails import sample_event, sample_participation
from podium.mail.kinds import MailKind, RenderedMail, mail_kind_declare
from podium.people.models import Person
from podium.registrations.models import Invitation

INVITATION_CONTEXT = ("campaign", "person", "invitation")


def _render(context: dict) -> RenderedMail:
    rendered = CampaignRenderer(context["campaign"]).render(person=context["person"], invitation=context["invitation"])
    return RenderedMail(**rendered)


def _sample() -> dict:
    """An unsaved campaign for the sample event, whose text uses every placeholder, and its invitee."""
    event = sample_event()
    speaker = sample_participation()
    speaker.event = event
    event.agenda = [speaker]  # type: ignore[attr-defined]  # where the agenda prefetch puts it (to_attr): no rows read
    body = "Dear {{ recipient_name }},\n\n" + "\n".join(f"{name}: {{{{ {name} }}}}" for name in PLACEHOLDERS)
    campaign = Campaign(event=event, name="Sample", subject="Invitation: {{ event_title }}", body=body)
    # Id 0 is never a row's: the sample's signed unsubscribe link is well formed and unsubscribes nobody.
    # Plainly made up, never someone in the directory: a preview must not read as a real person's mail.
    person = Person(
        pk=0,
        honorific="Dr.",
        given_names="Sample",
        family_name="Invitee",
        email="invitee@example.org",
        time_zone="Europe/London",
    )
    return {
        "campaign": campaign,
        "person": person,
        "invitation": Invitation(event=event, email=person.email, name=person.styled_name, token="sample-invitation"),
    }


mail_kind_declare(
    MailKind(
        name="campaign_invitation",
        description="A campaign's invitation to an event, in the text staff wrote, with personal accept, "
        "decline and unsubscribe links.",
        context=INVITATION_CONTEXT,
        sample=_sample,
        renderer=_render,
    )
)
