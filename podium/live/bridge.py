"""The Redis bridge between server processes: frames published off the request thread, one subscription per process.

Publishing never waits for Redis. `publish` puts the message in a bounded queue and returns; one
daemon thread per process sends what is queued. While Redis is slow or away the queue keeps the
newest BACKLOG messages and the thread drops what it cannot send: this process's streams had every
frame directly from the hub, and the other processes read what they missed from the database (a
later frame shows them the gap, and their subscription reloads after it reconnects). So a Redis
outage costs a request nothing, where a synchronous publish held its thread for the socket timeout.
"""

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable

logger = logging.getLogger("podium.live")

CHANNEL = "podium:live"
BACKLOG = 1000  # messages waiting for Redis; beyond that the oldest go (the newest shows the gap)
TIMEOUT = 2.0  # seconds, to connect to Redis and for an answer


class RedisBridge:
    def __init__(self, url: str, *, timeout: float = TIMEOUT, backlog: int = BACKLOG):
        self.url, self.timeout = url, timeout
        self.queue: deque[str] = deque(maxlen=backlog)
        # What the publishing thread has done, for the logs and the tests: sent, failed to send.
        self.published = self.failed = 0
        # And the subscription: times it subscribed, tries that failed (connecting, or a connection lost).
        self.subscriptions = self.subscribe_failures = 0
        self.subscribed = False
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # Publishing: any thread --------------------------------------------------------------------------

    def publish(self, message: str) -> None:
        """Queue a message for every other process; returns at once."""
        self.queue.append(message)
        self._wake.set()
        if self._thread is None or not self._thread.is_alive():
            self._start()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._send_queued, name="podium-live-redis", daemon=True)
                self._thread.start()

    def _send_queued(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout)
        down = False
        while True:
            self._wake.wait()
            self._wake.clear()
            while self.queue:
                message = self.queue.popleft()  # only this thread takes from the queue
                try:
                    client.publish(CHANNEL, message)
                except Exception as error:  # the others catch up from the database when Redis is back
                    self.failed += 1
                    if not down:
                        logger.warning("Live updates: could not publish to Redis: %s", error)
                    down = True
                    continue
                self.published += 1
                if down:
                    logger.warning("Live updates: publishing to Redis again")
                    down = False

    # Subscribing: the server's event loop --------------------------------------------------------------

    async def listen(self, on_message: Callable[[bytes], None], on_connect: Callable[[], Awaitable[None]]) -> None:
        """Keep one subscription for the life of the process: every message goes to `on_message`; after
        each (re)connect, `on_connect` catches up on what was published meanwhile. While Redis is away
        it tries again after 0.5, 1, 2, ... up to 10 s, and says so once, not at every try."""
        import redis.asyncio as aioredis

        delay, lost_at = 0.5, None
        while True:
            # Keepalive: a Redis host that vanishes without closing the connection is noticed too.
            client = aioredis.from_url(self.url, socket_connect_timeout=self.timeout, socket_keepalive=True)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.subscribed, delay = True, 0.5
                    self.subscriptions += 1
                    if lost_at is not None:
                        logger.warning(
                            "Live updates: subscribed to Redis again after %.0f s; catching up from the database",
                            time.monotonic() - lost_at,
                        )
                        lost_at = None
                    await on_connect()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            on_message(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis restarted or unreachable: reconnect, then catch up
                self.subscribe_failures += 1
                if lost_at is None:
                    lost_at = time.monotonic()
                    logger.warning(
                        "Live updates: Redis subscription lost (%s); other processes' frames wait until it is back",
                        error,
                    )
            finally:
                self.subscribed = False
                await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10)
