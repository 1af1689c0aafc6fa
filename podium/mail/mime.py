"""Fast MIME for bulk mail: a text and HTML message without attachments, as bytes ready for SMTP.

Django's EmailMessage builds every message through the email package's header parser and folder,
about a millisecond each; for a 10,000-recipient campaign that is most of the time spent
(docs/benchmarks.md). Outbox rows without attachments have a fixed shape, so we assemble the
multipart/alternative message directly: RFC 2047 encoded words from email.header for non-ASCII
headers (cached: a campaign repeats its subject and sender), base64 bodies, CRLF line ends.
Messages with attachments still go through Django's EmailMultiAlternatives.
"""

import base64
import uuid
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from functools import lru_cache

# Headers we write ourselves; a message's extra headers may not replace them.
OWN_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "reply-to",
}


@lru_cache(maxsize=1024)
def encode_text(value: str) -> str:
    """A header value as ASCII: itself when it is plain ASCII, else RFC 2047 encoded words."""
    value = " ".join(value.splitlines())  # header injection: never a line break
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep="\r\n ")


@lru_cache(maxsize=4096)
def encode_address(value: str) -> str:
    """'Name <a@b>' with the name encoded when it needs to be and the address checked."""
    name, address = parseaddr(" ".join(value.splitlines()))
    if not address or "@" not in address or not address.isascii():
        raise ValueError(f"Not an address we can send to: {value!r}")
    if not name:
        return address
    return formataddr((encode_text(name), address)) if not name.isascii() else formataddr((name, address))


@lru_cache(maxsize=64)
def envelope_address(value: str) -> str:
    """The bare address for SMTP's MAIL FROM."""
    return parseaddr(value)[1]


def _body(text: str, subtype: str) -> bytes:
    encoded = base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    ).encode() + encoded


def build(
    *,
    from_email: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    message_id: str,
    reply_to: str = "",
    headers: dict | None = None,
    date: str | None = None,
) -> bytes:
    lines = [
        f"From: {encode_address(from_email)}",
        f"To: {encode_address(to)}",
        f"Subject: {encode_text(subject)}",
        f"Date: {date or formatdate(localtime=False, usegmt=True)}",
        f"Message-ID: {encode_text(message_id)}",
        "MIME-Version: 1.0",
    ]
    if reply_to:
        lines.append(f"Reply-To: {encode_address(reply_to)}")
    for name, value in (headers or {}).items():
        if name.lower() in OWN_HEADERS or not name.isascii() or ":" in name or not name.strip():
            continue
        lines.append(f"{name}: {encode_text(str(value))}")
    head = ("\r\n".join(lines) + "\r\n").encode("ascii")
    if not body_html:
        return head + _body(body_text, "plain")
    boundary = f"=_podium_{uuid.uuid4().hex}"
    return (
        head
        + f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode()
        + f"--{boundary}\r\n".encode()
        + _body(body_text, "plain")
        + f"\r\n--{boundary}\r\n".encode()
        + _body(body_html, "html")
        + f"\r\n--{boundary}--\r\n".encode()
    )
