"""What a campaign's invitation says to each recipient: the personal links, the placeholders' values, and
the email in the organisation's letterhead. What is the same for every recipient is worked out once."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from podium.audience.services import unsubscribe_token
from podium.campaigns.models import Campaign
from podium.campaigns.placeholders import HtmlBody, render_text
from podium.core.selectors import organisation_get
from podium.core.templatetags.podium import when
from podium.events.models import Event
from podium.events.selectors import agenda_groups
from podium.people.models import Person
from podium.registrations.models import Invitation

TOKEN = "--token--"

# What a preview shows instead of each personal link: a label that says what the link is, pointing nowhere
# ("#"), so that nobody previewing can accept, decline or unsubscribe in anyone's name.
SAMPLE_LINKS = {
    "rsvp_link": "[personal link: accept]",
    "decline_link": "[personal link: decline]",
    "event_link": "[personal link: the event page]",
    "unsubscribe_link": "[personal link: unsubscribe]",
}
SAMPLE_HREF = "#"


def _link_patterns() -> dict[str, str]:
    """Each personal link with a stand-in token: reverse() once per campaign, not per recipient."""
    return {
        "rsvp_link": settings.SITE_URL + reverse("campaigns:accept", kwargs={"token": TOKEN}),
        "decline_link": settings.SITE_URL + reverse("campaigns:decline", kwargs={"token": TOKEN}),
        "event_link": settings.SITE_URL + reverse("registrations:invitation", kwargs={"token": TOKEN}),
        "unsubscribe_link": settings.SITE_URL + reverse("campaigns:unsubscribe", kwargs={"token": TOKEN}),
    }


def invitation_links(invitation: Invitation, patterns: dict[str, str] | None = None) -> dict[str, str]:
    patterns = patterns or _link_patterns()
    return {
        name: patterns[name].replace(TOKEN, invitation.token) for name in ("rsvp_link", "decline_link", "event_link")
    }


def unsubscribe_link(person: Person, patterns: dict[str, str] | None = None) -> str:
    patterns = patterns or _link_patterns()
    return patterns["unsubscribe_link"].replace(TOKEN, unsubscribe_token(person=person))


def agenda_text(event: Event) -> str:
    lines = []
    for group in agenda_groups(event=event):
        names = "; ".join(p.person.first_mention for p in group.participations)
        lines.append(f"{group.label}: {names}")
    return "\n".join(lines)


class CampaignRenderer:
    """A campaign's email for each recipient; everything that is the same for all is worked out once."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        event = campaign.event
        self.organisation = organisation_get()
        self.common = {
            "event_title": event.title,
            "event_date_local": when(event.starts_at, event.ends_at, event.time_zone),
            "agenda": agenda_text(event),
            "series_name": event.series.name if event.series is not None else "",
            "organisation_name": self.organisation.name,
        }
        self._dates: dict[str, str] = {}
        self.links = _link_patterns()
        self.html = HtmlBody(campaign.body)
        # The letterhead wraps the body; rendered once with a marker the body replaces.
        marker = "\x00BODY\x00"
        self.layout = render_to_string(
            "campaigns/email.html",
            {
                "organisation": self.organisation,
                "body": marker,
                "unsubscribe_marker": "\x00UNSUB\x00",
            },
        ).split(marker)

    def _date_in(self, zone: str) -> str:
        if zone not in self._dates:
            event = self.campaign.event
            self._dates[zone] = when(event.starts_at, event.ends_at, zone)
        return self._dates[zone]

    def values(self, *, person: Person, invitation: Invitation | None, sample_links: bool = False) -> dict[str, str]:
        zone = person.time_zone or self.campaign.event.time_zone
        values = {
            **self.common,
            "recipient_name": person.styled_name,
            "recipient_later_name": person.later_mention,
            "event_date": self._date_in(zone),
            "unsubscribe_link": unsubscribe_link(person, self.links),
        }
        if invitation is not None:
            values.update(invitation_links(invitation, self.links))
        if sample_links:
            values.update(SAMPLE_LINKS)
        return values

    def render(self, *, person: Person, invitation: Invitation | None, sample_links: bool = False) -> dict:
        """The email for this person. `sample_links`: for a preview, every personal link is a label
        pointing nowhere."""
        values = self.values(person=person, invitation=invitation, sample_links=sample_links)
        href = SAMPLE_HREF if sample_links else None
        body_html = (self.layout[0] + self.html.render(values, href=href) + self.layout[1]).replace(
            "\x00UNSUB\x00", href or values["unsubscribe_link"]
        )
        body_text = render_text(self.campaign.body, values).rstrip() + (
            f"\n\n--\nYou receive this invitation from {self.organisation.name}. "
            f"To receive no more invitations: {values['unsubscribe_link']}\n"
        )
        return {
            "subject": " ".join(render_text(self.campaign.subject, values).split()),
            "body_text": body_text,
            "body_html": body_html,
            "headers": {
                # RFC 8058 one-click unsubscribe: the mail client POSTs to the link.
                "List-Unsubscribe": f"<{values['unsubscribe_link']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        }
