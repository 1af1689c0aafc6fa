"""Every kind of email Podium sends, declared once: the context it needs, a sample to preview it, how it renders.

The apps that send mail declare their kinds in their own `mails.py` (for example
`podium/registrations/mails.py`), imported when Django starts (MailConfig.ready), so the mail
app never imports the apps above it. `message_queue(kind=...)` refuses an undeclared kind and a
context that lacks a declared name; tests/mail/test_kinds.py renders every kind from its sample.

A kind renders from the templates `mail/<name>.subject.txt`, `.txt` and `.html`, or, when it
declares `renderer`, by calling it (for mail whose text is not a template file, such as a
campaign invitation written by staff and stored in the database).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string

from podium.core.selectors import organisation_get

# Every kind gets these from the mail app; a kind declares only what its sender must supply.
COMMON_CONTEXT = ("organisation", "site_url")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body_text: str
    body_html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MailKind:
    """One kind of email.

    `context`: the names its rendering reads, besides COMMON_CONTEXT. `sample`: returns such a
    context built from unsaved model instances, so a preview needs no real person or row.
    `renderer`: takes the full context (COMMON_CONTEXT included) and returns a RenderedMail;
    None means the template files named after the kind.
    """

    name: str
    description: str
    context: tuple[str, ...]
    sample: Callable[[], dict]
    renderer: Callable[[dict], RenderedMail] | None = None

    def missing(self, context: dict) -> list[str]:
        return [name for name in self.context if name not in context]

    def render(self, context: dict) -> RenderedMail:
        """Render with the organisation and site URL added; a context lacking a declared name is refused."""
        missing = self.missing(context)
        if missing:
            raise TypeError(f"The context of the {self.name!r} email lacks {', '.join(missing)}.")
        context = {"organisation": organisation_get(), "site_url": settings.SITE_URL, **context}
        if self.renderer is not None:
            return self.renderer(context)
        return RenderedMail(
            # A subject is one line whatever the template's line breaks: a header cannot hold them.
            subject=" ".join(render_to_string(f"mail/{self.name}.subject.txt", context).split()),
            body_text=render_to_string(f"mail/{self.name}.txt", context),
            body_html=render_to_string(f"mail/{self.name}.html", context),
        )

    def preview(self) -> RenderedMail:
        """The email as its sample would receive it."""
        return self.render(self.sample())


_declared: dict[str, MailKind] = {}


def mail_kind_declare(kind: MailKind) -> MailKind:
    """Add a kind to the registry; a second, different declaration of the same name is a programming error."""
    if not kind.name.isidentifier():
        raise ValueError(f"A mail kind's name is a Python identifier, not {kind.name!r}.")
    if not callable(kind.sample):
        raise TypeError(f"The {kind.name!r} email needs a sample: a function returning its context.")
    existing = _declared.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"The {kind.name!r} email is declared twice.")
    _declared[kind.name] = kind
    return kind


def mail_kind_get(name: str) -> MailKind:
    try:
        return _declared[name]
    except KeyError:
        raise ValueError(f"No email of kind {name!r} is declared (see podium/mail/kinds.py).") from None


def mail_kinds() -> list[MailKind]:
    """Every declared kind, by name."""
    return sorted(_declared.values(), key=lambda kind: kind.name)
