"""Claims on outbox rows stay fresh while this process sends them.

A worker claims a message (status `sending`, `claimed_at`) before it talks to the mail server, and
marks it sent the moment the server accepts it. If the worker dies in between, the outbox sweep
puts the message back in the queue once its claim is older than PODIUM_MAIL_STUCK_SECONDS. That
timeout used to be long (10 minutes), because a live worker on a slow mail server must never look
dead: its messages would go twice. Here a thread of each worker process refreshes the claims of
the messages the process is sending, every PODIUM_MAIL_STUCK_SECONDS / 6, however long a send takes,
so a short timeout is safe: a live worker's claims never go stale, a dead worker's go stale within
the timeout, and at most the messages that were in flight when it died (one per connection) can
reach their recipient twice.
"""

import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection as db_connection
from django.db import connections
from django.utils import timezone

from podium.mail.models import Message

logger = logging.getLogger("podium.mail")


class ClaimKeeper:
    """One per process: the ids this process is sending, refreshed by one daemon thread."""

    def __init__(self) -> None:
        self._held: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def hold(self, message_ids: Iterable[int]) -> Iterator[None]:
        """Keep these messages' claims fresh for as long as the block runs."""
        ids = list(message_ids)
        # Inside an open transaction the claims are not committed yet: nobody else can see them go
        # stale, and another connection could not refresh them (a test case, a caller's atomic block).
        if not ids or db_connection.in_atomic_block:
            yield
            return
        with self._lock:
            self._held.update(ids)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._refresh_forever, name="outbox-claims", daemon=True)
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                self._held.subtract(ids)
                self._held += Counter()  # drops the ids no longer held

    def held(self) -> list[int]:
        with self._lock:
            return list(self._held)

    @staticmethod
    def interval() -> float:
        return max(settings.PODIUM_MAIL_STUCK_SECONDS / 6, 0.1)

    def _refresh_forever(self) -> None:
        while True:
            self._wake.wait(self.interval())
            ids = self.held()
            if not ids:
                connections.close_all()  # idle: give the database connection back
                continue
            try:
                self.refresh(ids)
            except Exception:  # the database away for a moment: the next round tries again
                logger.warning("Could not refresh the claims of %s messages being sent", len(ids), exc_info=True)
                connections.close_all()

    @staticmethod
    def refresh(ids: list[int]) -> int:
        return Message.objects.filter(pk__in=ids, status=Message.Status.SENDING).update(claimed_at=timezone.now())


claims = ClaimKeeper()
