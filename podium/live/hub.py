"""The per-process broadcast hub: live events go from the service that made them to every open stream.

One `Channel` per event holds the recent frames, each SSE frame encoded once, in the order of the
event's sequence numbers. Streams do not have a queue each: they wait on the channel's one shared
future and then read the frames after the last number they sent. Frames can arrive out of order
(on_commit callbacks of two threads, or Redis); the channel holds a frame that comes early for
up to REORDER_WAIT seconds, then lets it through, and a stream that sees a gap fetches the
missing numbers from the database.

Across processes: with PODIUM_REDIS_URL every process publishes each frame on one Redis channel
and keeps one subscription; frames from the process itself are ignored (it delivered them
directly). After the subscription reconnects, every channel with listeners reloads from the
database what it may have missed, so a Redis restart loses nothing.
"""

import asyncio
import base64
import json
import logging
import os
import threading
import uuid
from collections import deque
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("podium.live")

BUFFER = 512  # frames kept per event for streams that fall a little behind
REORDER_WAIT = 1.0
REDIS_CHANNEL = "podium:live"
ORIGIN = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class Frame:
    event_id: int
    seq: int
    audience: str
    data: bytes

    def as_message(self) -> str:
        return json.dumps({"o": ORIGIN, "e": self.event_id, "s": self.seq, "a": self.audience,
                           "d": base64.b64encode(self.data).decode()})

    @classmethod
    def from_message(cls, raw: str | bytes) -> tuple[str, "Frame"]:
        data = json.loads(raw)
        return data["o"], cls(data["e"], data["s"], data["a"], base64.b64decode(data["d"]))


class Channel:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.frames: deque[Frame] = deque(maxlen=BUFFER)
        self.early: dict[int, Frame] = {}
        self.next_seq: int | None = None
        self.waiter = loop.create_future()
        self.listeners = 0
        self._timer = None

    def push(self, frame: Frame) -> None:
        if self.next_seq is None:
            self.next_seq = frame.seq
        if frame.seq < self.next_seq or frame.seq in self.early:
            return  # a repeat (own frame back from Redis, or a reload)
        self.early[frame.seq] = frame
        self._release()
        if self.early and self._timer is None:
            self._timer = self.loop.call_later(REORDER_WAIT, self._give_up_waiting)

    def _release(self) -> None:
        released = False
        while self.next_seq in self.early:
            self.frames.append(self.early.pop(self.next_seq))
            self.next_seq += 1
            released = True
        if released:
            waiter, self.waiter = self.waiter, self.loop.create_future()
            waiter.set_result(None)

    def _give_up_waiting(self) -> None:
        self._timer = None
        if self.early:
            self.next_seq = min(self.early)  # streams fetch the gap from the database
            self._release()
        if self.early:
            self._timer = self.loop.call_later(REORDER_WAIT, self._give_up_waiting)

    def since(self, seq: int) -> list[Frame]:
        """The frames after `seq`, oldest first; read from the newest end, so a stream that is up to
        date pays for the one or two new frames, not for the whole buffer."""
        newer = []
        for frame in reversed(self.frames):
            if frame.seq <= seq:
                break
            newer.append(frame)
        newer.reverse()
        return newer


class Hub:
    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.channels: dict[int, Channel] = {}
        self._lock = threading.Lock()
        self._redis = None
        self._subscriber: asyncio.Task | None = None
        self.reload = None  # set by the stream module: async (event_id, from_seq) -> list[Frame]

    # The event loop side --------------------------------------------------------------------------

    def attach(self) -> None:
        """Called by each stream on connect, in the server's event loop."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.channels = loop, {}
            self._subscriber = None
        if settings.REDIS_URL and self._subscriber is None:
            self._subscriber = loop.create_task(self._subscribe())

    def channel(self, event_id: int) -> Channel:
        channel = self.channels.get(event_id)
        if channel is None:
            channel = self.channels[event_id] = Channel(self.loop)
        return channel

    def _deliver(self, frame: Frame) -> None:
        channel = self.channels.get(frame.event_id)
        if channel is not None:
            channel.push(frame)

    async def _subscribe(self) -> None:
        import redis.asyncio as aioredis

        delay = 0.5
        while True:
            try:
                client = aioredis.from_url(settings.REDIS_URL)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(REDIS_CHANNEL)
                    delay = 0.5
                    await self._reload_all()  # whatever was published while we were away
                    async for message in pubsub.listen():
                        if message.get("type") != "message":
                            continue
                        origin, frame = Frame.from_message(message["data"])
                        if origin != ORIGIN:
                            self._deliver(frame)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis restarted or unreachable: reconnect, then catch up
                logger.warning("Live updates: Redis subscription lost (%s); retrying in %.1f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)

    async def _reload_all(self) -> None:
        if self.reload is None:
            return
        for event_id, channel in list(self.channels.items()):
            if channel.listeners and channel.next_seq is not None:
                for frame in await self.reload(event_id, channel.next_seq - 1):
                    channel.push(frame)

    # The publishing side: any thread ------------------------------------------------------------------

    def publish(self, frame: Frame) -> None:
        """Deliver a committed frame to this process's streams and, with Redis, to every other process."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                self._deliver(frame)
            else:
                loop.call_soon_threadsafe(self._deliver, frame)
        if settings.REDIS_URL:
            try:
                self._redis_client().publish(REDIS_CHANNEL, frame.as_message())
            except Exception as error:  # the others catch up from the database when Redis is back
                logger.warning("Live updates: could not publish to Redis: %s", error)

    def _redis_client(self):
        with self._lock:
            if self._redis is None:
                import redis

                self._redis = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
            return self._redis


hub = Hub()
