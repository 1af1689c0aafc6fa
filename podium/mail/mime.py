"""The one MIME builder: every email Podium sends leaves as bytes made here, ready for SMTP.

Django's EmailMessage builds every message through the email package's header parser and folder,
about a millisecond each; for a 10,000-recipient campaign that is most of the time spent
(docs/benchmarks.md). Outbox rows have a fixed shape, so we assemble the message directly: RFC 2047
encoded words from email.header for non-ASCII headers (cached: a campaign repeats its subject and
sender), base64 parts, CRLF line ends. A text body, or text and HTML as multipart/alternative; with
attachments (calendar files), that inside multipart/mixed. Bulk and transactional mail, over SMTP or
to Django's other backends (podium.mail.services), all use build().
"""

import base64
import email.message
import time
import uuid
from datetime import UTC, datetime
from email.header import Header
from email.utils import encode_rfc2231, format_datetime, formataddr, parseaddr
from functools import lru_cache

from podium.core.text import display_name_clean

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


def ascii_address(address: str) -> str:
    """A bare address as SMTP and headers take it: an international domain in punycode (as Django
    writes it); an address we cannot write raises ValueError."""
    local, _, domain = address.strip().rpartition("@")
    if not local or not domain or not local.isascii():
        raise ValueError(f"Not an address we can send to: {address!r}")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError(f"Not an address we can send to: {address!r}") from None
    return f"{local}@{domain}"


def mailbox(name: str, address: str) -> str:
    """'Name <a@b>' from a stored name and address, for build()'s from_email, to and reply_to.

    The name is a display name only: control characters (CR, LF, NUL …), direction overrides and
    zero-width characters become spaces (podium.core.text.display_name_clean), and formataddr
    quotes whatever would otherwise end the name (quotes, backslashes, commas, angle brackets), so
    no stored name can add a header or a recipient. Rows saved before names were checked still
    build.
    """
    name = display_name_clean(name)
    return formataddr((name, address)) if name else address


@lru_cache(maxsize=4096)
def encode_address(value: str) -> str:
    """'Name <a@b>' with the name cleaned (as mailbox() does), encoded when it needs to be, and the
    address checked."""
    name, address = parseaddr(" ".join(value.splitlines()))
    address = ascii_address(address)
    name = display_name_clean(name)
    if not name:
        return address
    return formataddr((encode_text(name), address)) if not name.isascii() else formataddr((name, address))


@lru_cache(maxsize=64)
def envelope_address(value: str) -> str:
    """The bare address of 'Name <a@b>', for SMTP's MAIL FROM."""
    return ascii_address(parseaddr(value)[1])


@lru_cache(maxsize=1)
def _date(second: int) -> str:
    # RFC 5322's numeric zone: "+0000". formatdate(usegmt=True) writes the obsolete "GMT", and
    # formatdate(usegmt=False) "-0000", which means "local zone unknown".
    return format_datetime(datetime.fromtimestamp(second, UTC))


def date_now() -> str:
    """The Date header for now, worked out once per second (a campaign sends hundreds a second)."""
    return _date(int(time.time()))


def _base64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _body(text: str, subtype: str) -> bytes:
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    ).encode() + _base64(text.encode("utf-8"))


def _quoted(value: str) -> str:
    value = " ".join(str(value).splitlines()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


@lru_cache(maxsize=64)
def attachment_content_type(mimetype: str) -> str:
    """An attachment's Content-Type with every parameter once; text is always sent as UTF-8.

    Callers may write "text/calendar; method=PUBLISH; charset=utf-8": its charset is replaced by
    ours instead of being repeated.
    """
    parsed = email.message.Message()
    parsed["Content-Type"] = " ".join(mimetype.splitlines())
    params: dict[str, str] = {}
    for name, value in (parsed.get_params() or [])[1:]:  # the first is the type itself
        if name.isascii() and name.replace("-", "").isalnum() and str(value).isascii():
            params.setdefault(name.lower(), value)
    params.pop("charset", None)
    if parsed.get_content_maintype() == "text":
        params["charset"] = "utf-8"
    return "; ".join([parsed.get_content_type(), *(f"{name}={_quoted(value)}" for name, value in params.items())])


def _disposition(filename: str) -> str:
    filename = " ".join(filename.splitlines()).replace('"', "").replace("\\", "")
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*={encode_rfc2231(filename, 'utf-8')}"


def _attachment(attachment: dict) -> bytes:
    """One attachment of an outbox row: {"filename", "mimetype", "content"}, content as text."""
    content = attachment["content"]
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    head = (
        f"Content-Type: {attachment_content_type(attachment['mimetype'])}\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: {_disposition(attachment['filename'])}\r\n\r\n"
    )
    return head.encode("ascii") + _base64(data)


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    boundary = f"=_podium_{uuid.uuid4().hex}"
    delimiter = f"\r\n--{boundary}\r\n".encode()
    return (
        f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n--{boundary}\r\n'.encode()
        + delimiter.join(parts)
        + f"\r\n--{boundary}--\r\n".encode()
    )


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
    attachments: list[dict] | None = None,
    date: str | None = None,
) -> bytes:
    lines = [
        f"From: {encode_address(from_email)}",
        f"To: {encode_address(to)}",
        f"Subject: {encode_text(subject)}",
        f"Date: {date or date_now()}",
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
    body = _body(body_text, "plain")
    if body_html:
        body = _multipart("alternative", [body, _body(body_html, "html")])
    if attachments:
        body = _multipart("mixed", [body, *(_attachment(attachment) for attachment in attachments)])
    return head + body
