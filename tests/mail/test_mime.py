"""The one MIME builder (bulk and transactional mail) writes messages any mail reader parses back exactly."""

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta

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


def test_date_is_written_with_a_numeric_zone_as_rfc_5322_asks():
    data = mime.build(
        from_email="events@example.org", to="g@example.org", subject="x", body_text="x", message_id="<1@x>"
    )
    [date] = re.findall(rb"^Date: (.*)\r$", data, flags=re.M)
    assert re.fullmatch(rb"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000", date)
    assert abs(parse(data)["Date"].datetime - datetime.now(UTC)) < timedelta(seconds=5)


CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Pakistan–Russia\r\nEND:VCALENDAR\r\n"


def test_attachments_go_with_the_text_and_html_in_multipart_mixed_each_parameter_once():
    data = mime.build(
        from_email="events@example.org",
        to="Guest <g@example.org>",
        subject="Your place is confirmed",
        body_text="Dear Guest,\n",
        body_html="<p>Dear Guest,</p>",
        message_id="<2@example.org>",
        attachments=[
            {"filename": "event.ics", "mimetype": "text/calendar; method=PUBLISH; charset=utf-8", "content": CALENDAR},
            {"filename": "Überblick.txt", "mimetype": "text/plain", "content": "Notes\n"},
        ],
    )
    assert data.isascii() and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    message = parse(data)
    structure = [(part.get_content_type(), part.get_content_disposition()) for part in message.walk()]
    assert structure == [
        ("multipart/mixed", None),
        ("multipart/alternative", None),
        ("text/plain", None),
        ("text/html", None),
        ("text/calendar", "attachment"),
        ("text/plain", "attachment"),
    ]
    assert message.get_body(("plain",)).get_content() == "Dear Guest,\n"
    calendar, notes = message.iter_attachments()
    assert calendar.get_filename() == "event.ics" and notes.get_filename() == "Überblick.txt"
    assert calendar.get_payload(decode=True) == CALENDAR.encode()  # CRLF kept, as RFC 5545 wants
    content_type = calendar["Content-Type"]
    assert str(content_type) == 'text/calendar; method="PUBLISH"; charset="utf-8"'
    assert [name for name, _ in calendar.get_params()[1:]] == ["method", "charset"]
    assert notes.get_content() == "Notes\n"
