"""Writes to the outbox: queue a message inside the caller's transaction, deliver it, retry it, sweep up."""

import email
import email.message
import logging
import smtplib
import uuid
from datetime import timedelta
from email.utils import parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.utils import timezone

from podium.core.selectors import organisation_get
from podium.mail import mime
from podium.mail.claims import claims
from podium.mail.kinds import mail_kind_get
from podium.mail.models import Message

logger = logging.getLogger("podium.mail")

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600


def stuck_after() -> timedelta:
    """A message claimed longer ago than this belongs to a worker that died mid-send."""
    return timedelta(seconds=settings.PODIUM_MAIL_STUCK_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS))


def _enqueue_delivery(message_id: int, run_after=None) -> None:
    from podium.mail.tasks import deliver_message

    task = deliver_message.using(run_after=run_after) if run_after else deliver_message
    try:
        task.enqueue(message_id=message_id)
    except Exception:  # the sweep delivers it later; the row is safe
        logger.exception("Could not enqueue delivery of message %s", message_id)


def message_queue(
    *,
    to_email: str,
    to_name: str = "",
    kind: str,
    context: dict,
    event=None,
    registration=None,
    attachments: list[dict] | None = None,
    headers: dict | None = None,
    dedupe_key: str | None = None,
    hold_for: timedelta | None = None,
) -> Message | None:
    """Render a declared kind of email (podium.mail.kinds) and persist it; delivery starts after commit.

    An undeclared kind or a context without the names the kind declares is refused (a programming
    error, not the user's). With a dedupe_key that was already used, nothing is queued and None is
    returned. `hold_for` keeps the message in the queue that long before it is due, so that the one
    who caused it can still take it back (message_withdraw): a decline staff may undo.
    """
    rendered = mail_kind_get(kind).render(context)
    message = message_build(
        kind=kind,
        to_email=to_email,
        to_name=to_name,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        headers={**rendered.headers, **(headers or {})},
        attachments=attachments,
        dedupe_key=dedupe_key,
        event=event,
        registration=registration,
    )
    run_after = None
    if hold_for:
        message.next_attempt_at = run_after = message.next_attempt_at + hold_for
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    transaction.on_commit(lambda: _enqueue_delivery(message.pk, run_after=run_after))
    return message


def message_withdraw(*, message: Message) -> bool:
    """Take back a message that has not gone: true if it was still queued and now never will be.

    The same conditional UPDATE as a sender's claim (message_claim, messages_deliver_batch: queued to
    sending), so exactly one of the two wins: a message being sent, or sent, cannot be withdrawn, and a
    withdrawn one is never claimed. Inside the caller's transaction the row stays locked until commit,
    and a sender waiting for it then finds it withdrawn.
    """
    changed = Message.objects.filter(pk=message.pk, status=Message.Status.QUEUED).update(
        status=Message.Status.WITHDRAWN, claimed_at=None
    )
    return changed == 1


@lru_cache(maxsize=16)
def _sender(default_from: str, organisation_name: str) -> tuple[str, str]:
    """The From address in the organisation's name, and the domain for Message-IDs."""
    sender_name, sender_address = parseaddr(default_from)
    domain = sender_address.rsplit("@", 1)[-1] or "podium.localhost"
    return mime.mailbox(sender_name or organisation_name, sender_address), domain


def message_build(
    *,
    kind: str,
    to_email: str,
    to_name: str = "",
    subject: str,
    body_text: str,
    body_html: str = "",
    headers: dict | None = None,
    attachments: list[dict] | None = None,
    dedupe_key: str | None = None,
    event=None,
    registration=None,
) -> Message:
    """An unsaved outbox row with the organisation as sender; save it or bulk-create many. The kind
    must be declared (podium.mail.kinds), as for message_queue."""
    mail_kind_get(kind)
    organisation = organisation_get()
    from_email, domain = _sender(settings.DEFAULT_FROM_EMAIL, organisation.name)
    return Message(
        kind=kind,
        to_email=to_email,
        to_name=to_name,
        from_email=from_email,
        reply_to=organisation.press_contact_email or "",
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        attachments=attachments or [],
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        dedupe_key=dedupe_key,
        event=event,
        registration=registration,
        next_attempt_at=timezone.now(),
    )


def messages_queue_bulk(*, messages: list[Message]) -> dict[str, int]:
    """Persist many messages at once, each with a dedupe_key; keys already used are skipped.

    Returns {dedupe_key: message id} for all of them, old and new. No delivery task is queued and
    the outbox sweep leaves them alone (`bulk`): the caller delivers them in batches at its own pace
    (messages_deliver_batch), and resumes after a crash (the campaign sweep). The outbox sweep only
    puts back in the queue those whose claims went stale.
    """
    keys = [message.dedupe_key for message in messages]
    if None in keys:
        raise ValueError("Bulk-queued messages need a dedupe_key")
    for message in messages:
        message.bulk = True
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    return {key: pk for key, pk in Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", "pk") if key}


class MailServerUnavailable(Exception):
    """The mail server could not be reached: nothing was spent, try the batch later."""


def _is_outage(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return False
    return isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def messages_deliver_batch(*, message_ids: list[int], connection=None) -> dict[str, int]:
    """Send a batch of due messages over one connection; returns counts by outcome.

    Each message is marked sent the moment the server accepts it, and the batch's claims are kept
    fresh while it runs (podium.mail.claims), so a worker killed in the middle leaves only the
    message in flight unaccounted for; the sweep queues the rest of the batch again once its claims
    are PODIUM_MAIL_STUCK_SECONDS old. When the server goes away mid-batch, the rest of the batch
    goes back to the queue without spending an attempt, and MailServerUnavailable is raised.
    """
    connection = connection or get_connection()
    try:
        connection.open()
    except Exception as error:
        raise MailServerUnavailable(str(error)) from error
    now = timezone.now()
    Message.objects.filter(pk__in=message_ids, status=Message.Status.QUEUED, next_attempt_at__lte=now).update(
        status=Message.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    claimed = list(
        Message.objects.filter(pk__in=message_ids, status=Message.Status.SENDING, claimed_at=now).order_by("pk")
    )
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    relaxed = _commit_without_flush()
    try:
        with claims.hold(message.pk for message in claimed):
            for index, message in enumerate(claimed):
                try:
                    _send(message, connection)
                except Exception as error:
                    if _is_outage(error):
                        _message_failed(message=message, error=error)
                        unsent = [m.pk for m in claimed[index + 1 :]]
                        Message.objects.filter(pk__in=unsent, status=Message.Status.SENDING).update(
                            status=Message.Status.QUEUED, attempts=F("attempts") - 1, claimed_at=None
                        )
                        raise MailServerUnavailable(str(error)) from error
                    outcome = _message_failed(message=message, error=error)
                    counts["failed" if outcome == Message.Status.FAILED else "retrying"] += 1
                    continue
                _mark_sent(message.pk)
                counts["sent"] += 1
    finally:
        if relaxed:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        try:
            connection.close()
        except Exception:
            logger.debug("Closing the mail connection failed", exc_info=True)
    return counts


def _mark_sent(message_id: int) -> None:
    """The hot path of bulk sending: one short UPDATE, written once instead of compiled by the ORM
    for each of 10,000 messages."""
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Message._meta.db_table} SET status = %s, sent_at = %s, last_error = '' WHERE id = %s",
            [Message.Status.SENT.value, db_connection.ops.adapt_datetimefield_value(timezone.now()), message_id],
        )


def _commit_without_flush() -> bool:
    """On PostgreSQL, let this session's "sent" marks commit without waiting for the WAL flush.

    Each sent message is committed on its own (so a killed worker leaves at most the one in
    flight unrecorded); waiting for a disk flush on each would double a campaign's time. The
    commit is still atomic and visible at once, and survives the worker dying; only a crash of
    the database server itself could lose the last fraction of a second of marks, and those
    messages would be sent again (at-least-once, decision 4). SQLite's synchronous=NORMAL in WAL
    mode makes the same trade.
    """
    if db_connection.vendor != "postgresql" or db_connection.in_atomic_block:
        return False
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    return True


def message_bytes(message: Message) -> bytes:
    """The outbox row as the bytes that go on the wire (podium.mail.mime)."""
    to = mime.mailbox(message.to_name, message.to_email)
    return mime.build(
        from_email=message.from_email,
        to=to,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        message_id=message.message_id,
        reply_to=message.reply_to,
        headers=message.headers,
        attachments=message.attachments,
    )


def _send(message: Message, connection) -> None:
    """One message over an open connection, as podium.mail.mime built it: straight to smtplib on
    an SMTP connection, through Django's backend otherwise (locmem in tests, files in development)."""
    data = message_bytes(message)
    smtp = getattr(connection, "connection", None)
    if isinstance(connection, SMTPBackend) and smtp is not None:
        smtp.sendmail(mime.envelope_address(message.from_email), [mime.ascii_address(message.to_email)], data)
        return
    OutboxEmail.from_message(message, data=data, connection=connection).send(fail_silently=False)


class OutboxEmail(EmailMultiAlternatives):
    """An outbox row for Django's other mail backends: the usual attributes (tests read body,
    alternatives, attachments), but the bytes it writes are the ones podium.mail.mime built."""

    data = b""

    @classmethod
    def from_message(cls, message: Message, *, data: bytes, connection=None) -> "OutboxEmail":
        to = mime.mailbox(message.to_name, message.to_email)
        outgoing = cls(
            subject=message.subject,
            body=message.body_text,
            from_email=message.from_email,
            to=[to],
            reply_to=[message.reply_to] if message.reply_to else None,
            headers={"Message-ID": message.message_id, **message.headers},
            connection=connection,
        )
        if message.body_html:
            outgoing.attach_alternative(message.body_html, "text/html")
        for attachment in message.attachments:
            outgoing.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
        outgoing.data = data
        return outgoing

    def message(self, *, policy=None) -> "BuiltMessage":  # type: ignore[override]  # the built bytes, as they are
        return BuiltMessage.parse(self.data)


class BuiltMessage(email.message.Message):
    """A message parsed from the bytes podium.mail.mime built, written back as exactly those bytes
    when a Django backend serialises it (the SMTP one with CRLF, the file and console ones with LF)."""

    data = b""

    @classmethod
    def parse(cls, data: bytes) -> "BuiltMessage":
        parsed = email.message_from_bytes(data, _class=cls)
        parsed.data = data
        return parsed

    def as_bytes(self, unixfrom=False, policy=None, linesep="\n") -> bytes:
        if not self.data:  # one of the parts: only the whole message keeps its bytes
            return super().as_bytes(unixfrom, policy)
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())


def message_claim(*, message_id: int) -> bool:
    """Take the message for sending; false if another worker has it or it is not due."""
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED, next_attempt_at__lte=now).update(
        status=Message.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    return claimed == 1


def message_deliver(*, message_id: int, connection=None) -> str | None:
    """Send one queued, due message. Returns its new status, or None if it was not ours to send."""
    if not message_claim(message_id=message_id):
        return None
    message = Message.objects.get(pk=message_id)
    connection = connection or get_connection()
    try:
        with claims.hold([message.pk]):
            opened = connection.open()  # true when we opened it, so we close it again
            try:
                _send(message, connection)
            finally:
                if opened:
                    connection.close()
    except Exception as error:  # any failure of the transport is retried
        return _message_failed(message=message, error=error)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now(), last_error="")
    # The address only at DEBUG: an INFO log is read by more people than the outbox page (staff only).
    logger.info("Sent message %s (%s)", message.pk, message.kind)
    logger.debug("Message %s went to %s", message.pk, message.to_email)
    return Message.Status.SENT


def is_permanent(error: Exception) -> bool:
    """A 5xx answer from the mail server: retrying will not help. Anything else (the server
    unreachable, timeouts, 4xx) is an outage, retried for as long as it lasts."""
    if isinstance(error, ValueError):  # an address we cannot write (podium.mail.mime)
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _message_failed(*, message: Message, error: Exception) -> str:
    description = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) and message.attempts >= settings.PODIUM_MAIL_MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, last_error=description)
        logger.error("Gave up on message %s after %s attempts: %s", message.pk, message.attempts, description)
        return Message.Status.FAILED
    next_attempt_at = timezone.now() + retry_delay(message.attempts)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.QUEUED, last_error=description, next_attempt_at=next_attempt_at
    )
    logger.warning(
        "Message %s failed (attempt %s), retrying at %s: %s", message.pk, message.attempts, next_attempt_at, description
    )
    _enqueue_delivery(message.pk, run_after=next_attempt_at)
    return Message.Status.QUEUED


def message_retry(*, message: Message) -> None:
    """Staff asked to try a failed message again, now."""
    Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
        status=Message.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))


def outbox_sweep(*, limit: int = 500) -> int:
    """Recover messages a dead worker left half-sent and deliver whatever is due. Returns how many were sent."""
    now = timezone.now()
    Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - stuck_after()).update(
        status=Message.Status.QUEUED, next_attempt_at=now
    )
    due = list(
        Message.objects.filter(status=Message.Status.QUEUED, next_attempt_at__lte=now, bulk=False)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:
        # Nothing is claimed, so no attempt is spent: the messages simply wait for a later sweep.
        logger.warning("Mail server unreachable (%s); %s due messages wait for the next sweep", error, len(due))
        return 0
    sent = 0
    try:
        for message_id in due:
            if message_deliver(message_id=message_id, connection=connection) == Message.Status.SENT:
                sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide what was sent
            logger.debug("Closing the mail connection failed", exc_info=True)
    return sent
