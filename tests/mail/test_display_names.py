"""Display names in From and To are built safely: a stored name with line breaks, NUL, quotes or hidden
characters (rows saved before names were checked) can neither add a header or a recipient nor stop the
message from being built and sent (issue 12, item 3). Sent through a real SMTP server on loopback."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from podium.core.models import Organisation
from podium.mail.models import Message
from podium.mail.services import outbox_sweep
from podium.registrations import services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "Sana Malik\r\nBcc: x@y.org",
    "Sana Malik\r\nBcc: x@y.org\r\n\r\nInjected body",
    "Sanā Malik\r\nBcc: x@y.org",  # not ASCII: the name goes out as an encoded word
    "Sana\x00Malik\nCc: z@y.org",  # SQLite only: PostgreSQL cannot store NUL
    "Sana\x01Malik\x7f\x9b\nCc: z@y.org",
    "Sana \u202eMalik\u200b",
    '"Sana" <x@y.org>, Malik \\',
]


def header_block(raw: bytes) -> bytes:
    return raw.split(b"\r\n\r\n", 1)[0]


def display_name_of(header) -> str:
    return header.addresses[0].display_name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_approval_email_to_a_hostile_stored_name_is_built_and_sent_without_injection(
    smtp, organisation, make_event, name
):
    if "\x00" in name and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL cannot store a NUL byte, so no old row can hold one")
    staff = get_user_model().objects.create_user("events", is_staff=True)
    event = make_event(capacity=10, registration_mode="approval")
    registration = services.registration_submit(
        event=event, name="Placeholder", email="sana@example.org", segment="diplomat"
    ).registration
    Registration.objects.filter(pk=registration.pk).update(name=name)  # as old data holds it
    registration.refresh_from_db()
    assert services.registration_approve(registration=registration, by=staff) == 1

    assert outbox_sweep() == 2  # received, then approved
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    approval = next(m for m in smtp.inbox.messages if "approved" in str(m["Subject"]).lower())
    raw = smtp.inbox.raw[smtp.inbox.messages.index(approval)]
    assert approval["Bcc"] is None and approval["Cc"] is None
    assert [a.addr_spec for a in approval["To"].addresses] == ["sana@example.org"]
    shown = display_name_of(approval["To"])
    assert not any(c in shown for c in "\r\n\x00\x01\x7f\x9b\u202e\u200b")
    assert "Malik" in shown
    head = header_block(raw)
    assert b"\x00" not in head
    assert not [line for line in head.split(b"\r\n") if line.lower().startswith((b"bcc", b"cc", b"injected"))]
    assert smtp.inbox.recipients() == ["sana@example.org", "sana@example.org"]


def test_an_organisation_name_with_a_line_break_cannot_add_a_header(smtp, make_event):
    Organisation.objects.create(name="Institūte\r\nBcc: x@y.org", short_name="NIPS", default_time_zone="UTC")
    event = make_event(capacity=10)
    services.registration_submit(event=event, name="Sana Malik", email="sana@example.org", segment="diplomat")
    assert outbox_sweep() == 1
    [received] = smtp.inbox.messages
    assert received["Bcc"] is None
    assert display_name_of(received["From"]) == "Institūte Bcc: x@y.org"
