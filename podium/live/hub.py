"""The per-process broadcast hub: live events go from the service that made them to every open stream.

One `Channel` per event. A frame (one live event, its SSE text encoded once) is written by the
channel itself to every listening stream, in a plain loop, the moment it is released: there is no
queue, task or wake-up per connection. A listener is the stream's ASGI `send`; the channel calls it
and steps the coroutine it returns by hand (`_step`). The server's `send` only suspends when the
client's socket buffer is full; then the rest of that one call runs on the future it waits for, and
a listener that falls `MAX_BEHIND` writes behind is ended, so that its browser reconnects and
catches up from the database instead of the server buffering for it.

Frames can arrive out of order (on_commit callbacks of two threads, or Redis); the channel holds a
frame that comes early for up to REORDER_WAIT seconds, then fetches the missing numbers from the
database (they are always there: a number is taken under the session's row lock, so number n
commits before n + 1).

Across processes: with PODIUM_REDIS_URL every process publishes each frame through its Redis bridge
(podium.live.bridge: off the request thread) and keeps one subscription; frames from the process
itself are ignored (it delivered them directly). After the subscription reconnects, every channel
with listeners reloads from the database what it may have missed, so a Redis restart loses nothing.

The hub knows nothing of Django or the database: podium/asgi.py gives it its collaborators with
`wire` (how to reload frames from the database, how to say this process is alive, the bridge).
"""

import asyncio
import base64
import json
import logging
import os
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, NamedTuple

from podium.live.bridge import RedisBridge

logger = logging.getLogger("podium.live")

RECENT = 256  # frames kept per event, for streams that register just after their database catch-up
REORDER_WAIT = 1.0
HEARTBEAT_SECONDS = 15
MAX_BEHIND = 64  # writes waiting on a full socket before the stream is ended (its browser catches up)
ORIGIN = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
ALL, MODERATORS = "all", "moderators"
# An "all" event whose kind gives the moderators their own payload (a question with the asker's name):
# its attendees' frame must not reach the console too, or it would overwrite the moderators' one.
ATTENDEES_ONLY = "attendees"


def reaches(audience: str, *, moderator: bool) -> bool:
    """Whether a frame for `audience` is written to a moderators' (console) or an attendees' stream."""
    return audience != ATTENDEES_ONLY if moderator else audience != MODERATORS


PING = b": ping\n\n"

Send = Callable[[dict], Awaitable[None]]


class Frame(NamedTuple):
    """One live event, its SSE text encoded once for every stream."""

    event_id: int
    seq: int
    audience: str
    data: bytes

    def as_message(self) -> str:
        return json.dumps(
            {
                "o": ORIGIN,
                "e": self.event_id,
                "s": self.seq,
                "a": self.audience,
                "d": base64.b64encode(self.data).decode(),
            }
        )

    @classmethod
    def from_message(cls, raw: str | bytes) -> "Relayed":
        data = json.loads(raw)
        return Relayed(data["o"], cls(data["e"], data["s"], data["a"], base64.b64decode(data["d"])))


class Relayed(NamedTuple):
    """A frame that came through Redis, and the process that published it."""

    origin: str
    frame: Frame


def _body(data: bytes, more: bool = True) -> dict:
    return {"type": "http.response.body", "body": data, "more_body": more}


class Listener:
    """One open stream. `after`: frames up to this number reached it from the database already."""

    __slots__ = ("after", "behind", "ended", "moderator", "send")

    def __init__(self, send: Send, *, moderator: bool, after: int):
        self.send, self.moderator, self.after = send, moderator, after
        self.behind = 0
        self.ended = False

    def write(self, message: dict) -> None:
        if self.ended:
            return
        if self.behind >= MAX_BEHIND:
            self.end()
            return
        _step(self, self.send(message))

    def end(self) -> None:
        """Finish the response: the browser reconnects with its last id and catches up."""
        if not self.ended:
            self.ended = True
            _step(self, self.send(_body(b"", more=False)))


def _step(listener: Listener, coroutine, first: bool = True) -> None:
    """Run a `send` coroutine until it finishes or waits. It waits only on a full socket; then this
    call carries on from the future it waits on, as a task would, without making one."""
    try:
        waiting = coroutine.send(None)
    except StopIteration:
        if not first:
            listener.behind -= 1
        return
    except (Exception, asyncio.CancelledError):  # the client is gone; its stream's coroutine sees it
        listener.ended = True
        return
    if first:
        listener.behind += 1
    if waiting is None:  # a bare yield (asyncio.sleep(0)): go on at the next turn of the loop
        asyncio.get_running_loop().call_soon(_step, listener, coroutine, False)
    else:
        waiting._asyncio_future_blocking = False
        waiting.add_done_callback(lambda _: _step(listener, coroutine, False))


class Channel:
    def __init__(self, hub: "Hub", event_id: int):
        assert hub.loop is not None, "channels are made once the hub is attached to the server's loop"
        self.hub, self.event_id, self.loop = hub, event_id, hub.loop
        self.public: set[Listener] = set()
        self.moderators: set[Listener] = set()
        self.recent: deque[Frame] = deque(maxlen=RECENT)
        self.early: dict[int, Frame] = {}
        self.next_seq: int | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._filling = False

    @property
    def listeners(self) -> int:
        return len(self.public) + len(self.moderators)

    def listen(self, send: Send, *, moderator: bool, after: int) -> Listener:
        """Register a stream whose database catch-up went up to `after`; frames released since
        that read are written to it now, so nothing falls between the two."""
        listener = Listener(send, moderator=moderator, after=after)
        if self.next_seq is None:
            self.next_seq = after + 1  # what the database holds needs no waiting for
        for frame in self.recent:
            if frame.seq > after and reaches(frame.audience, moderator=moderator):
                listener.write(_body(frame.data))
                listener.after = frame.seq
        (self.moderators if moderator else self.public).add(listener)
        return listener

    def leave(self, listener: Listener) -> None:
        (self.moderators if listener.moderator else self.public).discard(listener)

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
        while self.next_seq in self.early:
            frame = self.early.pop(self.next_seq)
            self.next_seq += 1
            self.recent.append(frame)
            self._write(frame)

    def _write(self, frame: Frame) -> None:
        """The fan-out: one message for every stream, written in a plain loop."""
        message, seq = _body(frame.data), frame.seq
        groups = (
            (self.public, self.moderators)
            if frame.audience == ALL
            else (self.public,)
            if frame.audience == ATTENDEES_ONLY
            else (self.moderators,)
        )
        for group in groups:
            for listener in group:
                if seq > listener.after:
                    listener.write(message)

    def heartbeat(self) -> None:
        message = _body(PING)
        for group in (self.public, self.moderators):
            for listener in group:
                listener.write(message)

    def _give_up_waiting(self) -> None:
        self._timer = None
        if self.early and not self._filling and self.next_seq is not None:
            self._filling = True
            self.loop.create_task(self._fill(self.next_seq - 1, min(self.early)))

    async def _fill(self, after: int, before: int) -> None:
        """Frames that never came (Redis was down when they were published): from the database."""
        try:
            frames = await self.hub.reload(self.event_id, after) if self.hub.reload else []
            for frame in frames:
                if frame.seq < before:
                    self.push(frame)
        except Exception:
            logger.exception(
                "Live updates: could not fetch frames %s..%s of event %s", after + 1, before - 1, self.event_id
            )
        finally:
            self._filling = False
        if self.early and self.next_seq not in self.early:
            self.next_seq = min(self.early)  # nothing to wait for: go on
            self._release()
        if self.early and self._timer is None:
            self._timer = self.loop.call_later(REORDER_WAIT, self._give_up_waiting)


Reload = Callable[[int, int], Awaitable[list[Frame]]]


class Hub:
    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.channels: dict[int, Channel] = {}
        self._tasks: list[asyncio.Task] = []
        # async (event_id, after_seq) -> the stored frames after that number, from the database
        self.reload: Reload | None = None
        # a coroutine that tells the database, now and then, that this process is alive
        self.alive: Callable[[], Coroutine[Any, Any, None]] | None = None
        # to and from the other processes; None when this one is alone
        self.bridge: RedisBridge | None = None

    def wire(
        self,
        *,
        reload: Reload | None = None,
        alive: Callable[[], Coroutine[Any, Any, None]] | None = None,
        bridge: RedisBridge | None = None,
    ) -> None:
        """Given once by the server's entry point (podium/asgi.py), before the first stream."""
        self.reload, self.alive, self.bridge = reload, alive, bridge

    # The event loop side --------------------------------------------------------------------------

    def attach(self) -> None:
        """Called by each stream on connect, in the server's event loop."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.channels = loop, {}
            self._tasks = [loop.create_task(self._heartbeat())]
            if self.alive is not None:
                self._tasks.append(loop.create_task(self.alive()))
            if self.bridge is not None:
                self._tasks.append(loop.create_task(self.bridge.listen(self._relayed, self._reload_all)))

    def channel(self, event_id: int) -> Channel:
        channel = self.channels.get(event_id)
        if channel is None:
            channel = self.channels[event_id] = Channel(self, event_id)
        return channel

    def _deliver(self, frame: Frame) -> None:
        channel = self.channels.get(frame.event_id)
        if channel is not None:
            channel.push(frame)

    def _relayed(self, raw: bytes) -> None:
        origin, frame = Frame.from_message(raw)
        if origin != ORIGIN:  # our own frames reached our streams directly
            self._deliver(frame)

    async def _heartbeat(self) -> None:
        """A comment line on every stream now and then: proxies keep it open, dead sockets show."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for channel in list(self.channels.values()):
                channel.heartbeat()

    async def _reload_all(self) -> None:
        """After the subscription (re)connects: whatever was published while we were away."""
        if self.reload is None:
            return
        for event_id, channel in list(self.channels.items()):
            if channel.listeners and channel.next_seq is not None:
                for frame in await self.reload(event_id, channel.next_seq - 1):
                    channel.push(frame)

    # The publishing side: any thread ------------------------------------------------------------------

    def publish(self, frame: Frame) -> None:
        """Deliver a committed frame to this process's streams and, through the bridge, to every other
        process. Never waits: the streams' loop and the bridge's thread do the writing."""
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
        if self.bridge is not None:
            self.bridge.publish(frame.as_message())


hub = Hub()
