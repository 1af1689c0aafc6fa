"""The placeholders an invitation text may use, declared with a description and a sample value.

Staff write `{{ recipient_name }}`; only the names declared here are allowed, so a typo is
refused when the template is saved instead of reaching a thousand inboxes as literal braces.
Substitution is plain text replacement, never Django's template engine: staff-written text
cannot reach settings, objects or tags.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape, linebreaks, urlize


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: str
    is_link: bool = False


PLACEHOLDERS = {
    p.name: p
    for p in [
        Placeholder(
            "recipient_name",
            "The recipient's name with rank, as the directory writes it",
            "Dr. Sample Invitee",
        ),
        Placeholder("recipient_later_name", "The short form for a salutation", "Dr. Invitee"),
        Placeholder("event_title", "The event's title", "Pakistan–Russia Relations: Prospects and Challenges"),
        Placeholder(
            "event_date",
            "Date and time in the recipient's own time zone (the event's when unknown)",
            "Thursday 14 December 2023, 15:00–17:00 PKT (UTC+05:00)",
        ),
        Placeholder(
            "event_date_local",
            "Date and time in the event's time zone",
            "Thursday 14 December 2023, 15:00–17:00 PKT (UTC+05:00)",
        ),
        Placeholder(
            "agenda",
            "The agenda: one line per role with names and designations",
            "Moderator: Brig (Retd) Amir Yaqub, Director NIPS",
        ),
        Placeholder("series_name", "The series the event belongs to", "NIPS Lecture Series"),
        Placeholder("organisation_name", "Your organisation's name", "NUST Institute of Policy Studies"),
        Placeholder(
            "rsvp_link", "Personal link: one click accepts the invitation", "https://…/i/…/accept/", is_link=True
        ),
        Placeholder("decline_link", "Personal link: one click declines", "https://…/i/…/decline/", is_link=True),
        Placeholder(
            "event_link",
            "Personal link to the event page (opens an invitation-only event)",
            "https://…/i/…/",
            is_link=True,
        ),
        Placeholder("unsubscribe_link", "Stops all campaign email to this person", "https://…/u/…/", is_link=True),
    ]
}

PATTERN = re.compile(r"{{\s*([^{}]*?)\s*}}")
# Braces that do not form a placeholder: "{{ name" or "name }}".
STRAY = re.compile(r"{{|}}")


def template_errors(text: str) -> list[str]:
    """Problems with a template text, written for the person who typed it."""
    errors = []
    unknown = sorted({name for name in PATTERN.findall(text) if name not in PLACEHOLDERS})
    for name in unknown:
        shown = name or "(empty)"
        errors.append(f"“{{{{ {shown} }}}}” is not a placeholder we know. Use one of: " + ", ".join(PLACEHOLDERS) + ".")
    if STRAY.search(PATTERN.sub("", text)):
        errors.append("There are unmatched “{{” or “}}” braces. Write placeholders as {{ name }}.")
    return errors


def placeholders_used(text: str) -> set[str]:
    return set(PATTERN.findall(text))


def render_text(text: str, values: dict[str, str]) -> str:
    return PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


class HtmlBody:
    """The HTML part, prepared once per campaign and filled per recipient.

    The staff text is escaped and paragraphs made once; each recipient's values are escaped as
    they go in, and links become anchors.
    """

    def __init__(self, text: str):
        # urlize before filling: literal addresses in the text become links, ours are added below.
        self.prepared = linebreaks(urlize(escape(text)))

    def render(self, values: dict[str, str], *, href: str | None = None) -> str:
        """The body for these values; `href` given, every personal link points there instead (a preview's
        links go nowhere)."""

        def fill(match: re.Match) -> str:
            name = match.group(1)
            if name not in values:
                return escape(match.group(0))
            value = escape(values[name])
            if PLACEHOLDERS[name].is_link:
                return f'<a href="{escape(href) if href is not None else value}">{value}</a>'
            return value.replace("\n", "<br>")

        return PATTERN.sub(fill, self.prepared)


def sample_values() -> dict[str, str]:
    return {name: placeholder.sample for name, placeholder in PLACEHOLDERS.items()}
