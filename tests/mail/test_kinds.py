"""Every kind of email is declared once and renders from its sample; message_queue accepts only what is declared."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils.html import escape

from podium.events.models import Event
from podium.mail.kinds import MailKind, mail_kind_declare, mail_kind_get, mail_kinds
from podium.mail.models import Message
from podium.mail.services import message_queue
from podium.people.models import Person
from podium.registrations.models import Registration

TEMPLATES = Path(__file__).resolve().parents[2] / "podium" / "mail" / "templates" / "mail"
# What a template prints for a variable its context lacks, while these tests run.
UNDECLARED = "<<undeclared: %s>>"
UNDECLARED_SEEN = re.compile(r"<<undeclared: ([^>]*)>>")


@pytest.fixture
def strict_templates(monkeypatch):
    """Like pytest-django's --fail-on-template-vars: a variable missing from the context shows in the output."""
    for engine in engines.all():
        monkeypatch.setattr(engine.engine, "string_if_invalid", UNDECLARED)


def names_in(sample: dict) -> list[str]:
    """The recipient's name and the event's title, wherever the sample holds them."""
    names = []
    for value in sample.values():
        if isinstance(value, Event):
            names.append(value.title)
        if isinstance(value, Registration):
            names.append(value.name)
        if isinstance(value, Person):
            names += [value.styled_name, value.later_mention]
        event = getattr(value, "event", None)
        if isinstance(event, Event):
            names.append(event.title)
    return [name for name in names if name]


@pytest.mark.parametrize("kind", mail_kinds(), ids=lambda kind: kind.name)
@pytest.mark.django_db
def test_every_kind_renders_text_html_and_subject_from_its_sample(kind, organisation, strict_templates):
    assert kind.description.strip(), "a kind says what it is for, for staff"
    assert callable(kind.sample), f"{kind.name} has no sample"
    sample = kind.sample()
    assert set(sample) == set(kind.context), "the sample gives exactly the declared context"
    rendered = kind.render(sample)
    subject, text, html = rendered.subject, rendered.body_text, rendered.body_html
    for output in (subject, text, html):
        assert not UNDECLARED_SEEN.findall(output), f"{kind.name} uses undeclared or missing variables"
        assert "{{" not in output and "{%" not in output and "%}" not in output
        assert not re.search(r"\bNone\b", output)
    assert subject.strip() and "\n" not in subject and "\r" not in subject and len(subject) < 200
    names = names_in(sample)
    assert names, "the sample names a recipient or an event"
    assert any(name in text for name in names), "the text names the recipient or the event"
    assert html.lstrip().startswith("<!doctype html>")
    assert any(escape(name) in html for name in names), "the HTML names the recipient or the event"
    assert organisation.name in text and escape(organisation.name) in html


def test_every_template_family_belongs_to_a_declared_kind():
    """A template nobody declared is a mail nobody can send; a declared kind needs all three files."""
    families = {path.name.removesuffix(".subject.txt") for path in TEMPLATES.glob("*.subject.txt")}
    families = {name for name in families if not name.startswith("_")}  # shared parts, not kinds
    declared = {kind.name for kind in mail_kinds() if kind.renderer is None}
    assert families == declared
    for name in declared:
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (TEMPLATES / f"{name}{suffix}").exists(), f"mail/{name}{suffix} is missing"


@pytest.mark.django_db
def test_a_template_reading_an_undeclared_name_is_caught(organisation, strict_templates):
    kind = MailKind(
        name="registration_cancelled",
        description="Declared without the registration its templates greet.",
        context=("event",),
        sample=lambda: {"event": mail_kind_get("registration_cancelled").sample()["event"]},
    )
    rendered = kind.render(kind.sample())
    assert UNDECLARED_SEEN.findall(rendered.body_text) == ["registration.name"]


def test_a_kind_without_a_sample_cannot_be_declared():
    with pytest.raises(TypeError):
        mail_kind_declare(MailKind(name="nothing_to_show", description="x", context=(), sample=None))
    with pytest.raises(ValueError):
        mail_kind_declare(MailKind(name="registration_confirmed", description="again", context=(), sample=dict))


@pytest.mark.django_db
def test_message_queue_refuses_an_undeclared_kind_and_a_context_lacking_a_declared_name(organisation):
    sample = mail_kind_get("registration_confirmed").sample()
    with pytest.raises(ValueError, match="registration_confirmd"):
        message_queue(to_email="a@example.org", kind="registration_confirmd", context=sample)
    del sample["join_url"]
    with pytest.raises(TypeError, match="join_url"):
        message_queue(to_email="a@example.org", kind="registration_confirmed", context=sample)
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_kind_may_render_with_a_function_instead_of_templates(organisation):
    """How a kind whose text lives in the database (a campaign invitation) is declared."""
    from podium.mail.kinds import RenderedMail

    def render(context):
        return RenderedMail(
            subject=f"Invitation: {context['title']}",
            body_text=f"Dear {context['name']},\n{context['organisation'].name} invites you.",
            body_html=f"<p>Dear {escape(context['name'])}</p>",
            headers={"List-Unsubscribe": "<https://podium.example/u/1/>"},
        )

    kind = MailKind(
        name="sample_rendered_by_a_function",
        description="For this test only.",
        context=("title", "name"),
        sample=lambda: {"title": "Pakistan–Russia Relations", "name": "Dr. Kozin"},
        renderer=render,
    )
    rendered = kind.preview()
    assert rendered.subject == "Invitation: Pakistan–Russia Relations"
    assert rendered.body_text == "Dear Dr. Kozin,\nNUST Institute of Policy Studies invites you."
    assert rendered.headers == {"List-Unsubscribe": "<https://podium.example/u/1/>"}
