"""What Podium writes to its logs and error reports: every server error with its traceback, and no
personal link or email address in them.

Personal links are credentials (docs/architecture.md, "Security model"): a log line with
`/r/<token>/` would let whoever reads the log manage that registration. The filter below rewrites
every record that reaches Podium's handler, the web server's access log included, so the paths keep
their shape (`/r/…/cancel/`) and lose the token. Email addresses keep their domain (`…@example.org`)
unless the record is at DEBUG level, where an operator chasing one message needs them.
"""

import logging
import re

REDACTED = "…"
# /r/<token>/, /j/<token>/, /j/s/<token>/, /i/<token>/, /u/<signed id>/, /speak/<token>/,
# /live/<token>/, /live/s/<token>/, and the signature in BigBlueButton's end-of-meeting callback.
PERSONAL_PATH = re.compile(r"(/(?:r|j/s|j|i|u|speak|live/s|live)/)([^/?#\s\"']{8,})")
CALLBACK_SIGNATURE = re.compile(r"(/video/bbb/[^/?#\s\"']+/ended/)([^/?#\s\"']+)")
EMAIL_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?=[A-Za-z0-9-]+\.[A-Za-z0-9.-]+)")


def redact(text: str, *, addresses: bool = True) -> str:
    """The text without personal links' tokens and, unless addresses=False, without the local part
    of email addresses."""
    text = PERSONAL_PATH.sub(rf"\1{REDACTED}", text)
    text = CALLBACK_SIGNATURE.sub(rf"\1{REDACTED}", text)
    if addresses:
        text = EMAIL_ADDRESS.sub(f"{REDACTED}@", text)
    return text


class RedactPersonalData(logging.Filter):
    """A handler filter: rewrites the record's message (and its formatted traceback) before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        addresses = record.levelno > logging.DEBUG
        message = record.getMessage()
        cleaned = redact(message, addresses=addresses)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, addresses=addresses)
        return True


def _redacted(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Error reports leave this machine without personal links or addresses anywhere in them (the URL,
    the message, query parameters in breadcrumbs)."""
    return _redacted(event)


def sentry_start(dsn: str, *, environment: str = "", release: str = "") -> bool:
    """Send unhandled errors to Sentry (or a compatible service) when PODIUM_SENTRY_DSN is set; the
    `sentry` extra installs sentry-sdk. Without it, say so once and carry on: logs keep every error."""
    try:
        import sentry_sdk
    except ImportError:
        logging.getLogger("podium").warning(
            "PODIUM_SENTRY_DSN is set but sentry-sdk is not installed (pip install 'podium[sentry]'): "
            "errors are only logged."
        )
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        send_default_pii=False,  # no cookies, no user, no IP address
        include_local_variables=False,  # a frame's variables hold tokens, names and addresses
        before_send=sentry_before_send,  # type: ignore[arg-type]  # the SDK's Event type is a TypedDict of ours
    )
    return True
