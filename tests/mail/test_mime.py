"""The fast MIME builder for bulk mail produces messages any mail reader parses back exactly."""

import email
import email.policy

import pytest

from podium.mail import mime


def parse(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.default)


def test_round_trip_of_non_ascii_headers_and_both_parts():
    subject = "Invitation: Pakistan–Russia Relations — “Prospects” " + "and challenges " * 6
    data = mime.build(
        from_email="NUST Institute of Policy Studies <events@nips.example.org>",
        to="Dr. Ата Казми <kazmi@example.org>",
        subject=subject,
        body_text="Dear Dr. Kazmi,\nJoin us – 15:00 PKT.\n",
        body_html="<p>Dear Dr. Kazmi, join us – 15:00 PKT.</p>",
        message_id="<abc@nips.example.org>",
        reply_to="media@nips.example.org",
        headers={
            "List-Unsubscribe": "<https://podium.example/u/12:abc/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "To": "evil@example.org",
        },
    )
    assert data.isascii() and max(len(line) for line in data.split(b"\r\n")) <= 998
    message = parse(data)
    assert message["Subject"] == subject
    assert message["To"].addresses[0].display_name == "Dr. Ата Казми"
    assert message["To"].addresses[0].addr_spec == "kazmi@example.org"
    assert message.get_all("To") == [message["To"]]  # extra headers cannot replace ours
    assert message["From"].addresses[0].display_name == "NUST Institute of Policy Studies"
    assert message["Reply-To"] == "media@nips.example.org"
    assert message["Message-ID"] == "<abc@nips.example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text == "Dear Dr. Kazmi,\nJoin us – 15:00 PKT.\n"
    assert html == "<p>Dear Dr. Kazmi, join us – 15:00 PKT.</p>"


def test_line_breaks_in_headers_cannot_inject_new_headers():
    data = mime.build(
        from_email="events@example.org",
        to="Guest <g@example.org>",
        subject="Hello\r\nBcc: victim@example.org",
        body_text="x",
        message_id="<1@example.org>",
    )
    message = parse(data)
    assert message["Bcc"] is None
    assert message["Subject"] == "Hello Bcc: victim@example.org"
    assert message.get_content_type() == "text/plain"


def test_an_address_without_at_sign_is_refused():
    with pytest.raises(ValueError):
        mime.build(from_email="events@example.org", to="nobody", subject="x", body_text="x", message_id="<1@x>")
