"""The attendees' and speakers' live streams: a lean ASGI endpoint in front of Django's handler.

Thousands of these stay open for the length of a webinar, so each costs as little as we can make
it (decision 17). A stream is authenticated once, at connect, by its personal token: the join
rules, the attendance record and the catch-up from the database run on a worker thread, in
batches with the other streams connecting at the same moment, and the thread's database
connection is released after each batch. After that the stream is only its ASGI `send`
registered with the hub's channel (which writes every frame to it) and this coroutine waiting for
the client to leave. No Django request, middleware or per-stream thread stays behind.

The moderators' console stream needs the staff session, so a Django view (views.console_stream)
checks it and streams `console_stream` from here, on the same hub.

`reload` and `server_alive` are the hub's collaborators; podium/asgi.py wires them (nothing here does
anything on import).
"""

import asyncio
import logging
import re
from collections import deque
from typing import NamedTuple
from urllib.parse import parse_qs

from django.db import connections
from django.utils import timezone

from podium.core.middleware import SECURITY_HEADERS
from podium.events.models import Event
from podium.live import admission, event_types, selectors
from podium.live.hub import ORIGIN, Channel, Frame, Listener, hub
from podium.live.hub import reaches as hub_reaches
from podium.live.models import LiveEvent, Presence, StreamServer
from podium.registrations.models import Registration

logger = logging.getLogger("podium.live")
PATH = re.compile(r"^/live/(?:(s)/)?([A-Za-z0-9_-]{1,64})/stream/$")
SERVER_SEEN_SECONDS = 15
PAGE = 1000
# Every event stream's headers, the console's (a Django view) included.
EVENT_STREAM_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-store",
    "X-Accel-Buffering": "no",  # nginx: pass each event on at once
}


def _asgi(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


# This endpoint answers before Django's middleware, so it sends the site's security headers itself.
HEADERS = _asgi({**EVENT_STREAM_HEADERS, **SECURITY_HEADERS})
PLAIN_HEADERS = _asgi({"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", **SECURITY_HEADERS})


class UnknownLink(Exception):
    """No registration or participation has this token."""


class Admitted(NamedTuple):
    """A stream let in: its event, its attendance row (None for a speaker), and the frames it missed."""

    event_id: int
    presence_id: int | None
    missed: list[Frame]


class Opened(NamedTuple):
    """An open stream, as long as it lasts: where it listens and its attendance row."""

    channel: Channel
    listener: Listener
    presence_id: int | None


def serves(scope) -> bool:
    return scope["type"] == "http" and scope["path"].startswith("/live/") and scope["path"].endswith("/stream/")


def in_thread(function, /, **kwargs):
    """Database work off the event loop, on a pooled thread that gives its connection back after."""

    def run():
        try:
            return function(**kwargs)
        finally:
            connections.close_all()

    return asyncio.get_running_loop().run_in_executor(None, run)


class Batches:
    """Streams that connect (or leave) together are handled together: one trip to a worker thread
    and a few queries for the whole batch, not a trip and four queries each. One batch runs at a
    time; whatever arrives meanwhile forms the next one, so a lone connect waits for nobody."""

    def __init__(self, work):
        self.work = work  # sync: list of items -> list of results (or exceptions), in the same order
        self.waiting: list[tuple[dict, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    def submit(self, **item) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.waiting.append((item, future))
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.task = loop.create_task(self._run())
        return future

    async def _run(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                results = await in_thread(self.work, items=[item for item, _ in batch])
            except Exception as error:  # the database is away: every stream of the batch is told
                results = [error] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)


def _connect_all(*, items: list[dict]) -> list[Admitted | Exception]:
    """Admit each link's holder, record their attendance, and read what they missed; per item an
    `Admitted`, or the exception that refuses it."""
    now = timezone.now()
    attendee_tokens = [item["token"] for item in items if not item["speaker"]]
    registrations = {
        r.token: r
        for r in Registration.objects.select_related("event", "event__series", "event__video_room").filter(
            token__in=attendee_tokens
        )
    }
    events: dict[int, Event] = {}  # one Event object per event: its video room is looked up once
    admitted: list[tuple[int, Presence | None] | Exception] = []
    presences = []
    for item in items:
        try:
            if item["speaker"]:
                participation = admission.speaker_admitted(token=item["token"])
                if participation is None:
                    raise UnknownLink(item["token"])
                admitted.append((participation.event_id, None))
                continue
            registration = registrations.get(item["token"])
            if registration is None:
                raise UnknownLink(item["token"])
            registration.event = events.setdefault(registration.event_id, registration.event)
            admission.attendee_check(registration=registration, now=now)
            presences.append(
                Presence(event_id=registration.event_id, registration=registration, server=ORIGIN, connected_at=now)
            )
            admitted.append((registration.event_id, presences[-1]))
        except (UnknownLink, admission.LiveRefused) as refusal:
            admitted.append(refusal)
    Presence.objects.bulk_create(presences)
    missed: dict[tuple[int, int], list[Frame]] = {}  # one catch-up read per (event, last id seen)
    results: list[Admitted | Exception] = []
    for item, outcome in zip(items, admitted, strict=True):
        if isinstance(outcome, Exception):
            results.append(outcome)
            continue
        event_id, presence = outcome
        key = (event_id, item["after"])
        if key not in missed:
            missed[key] = frames_stored(event_id=event_id, after=item["after"], moderator=False)
        results.append(Admitted(event_id, presence.pk if presence is not None else None, missed[key]))
    return results


def _leave_all(*, items: list[dict]) -> list:
    Presence.objects.filter(pk__in=[item["presence_id"] for item in items], disconnected_at__isnull=True).update(
        disconnected_at=timezone.now()
    )
    return [None] * len(items)


connects, leaves = Batches(_connect_all), Batches(_leave_all)


def frames_stored(*, event_id: int, after: int, moderator: bool) -> list[Frame]:
    """Every stored frame after `after`, read in pages: the catch-up of a stream that (re)connects."""
    frames = []
    while True:
        rows = selectors.frames_after(event_id=event_id, seq=after, moderator=moderator, limit=PAGE)
        frames += [frame_of(event_id, row) for row in rows]
        if len(rows) < PAGE:
            return frames
        after = rows[-1].seq


def frame_of(event_id: int, row: LiveEvent) -> Frame:
    """A stored live event as the frame it was when emitted."""
    return event_types.frame_encode(
        event_id=event_id, seq=row.seq, kind=row.kind, audience=row.audience, payload=row.payload
    )


def _reload(*, event_id: int, after: int) -> list[Frame]:
    return frames_stored(event_id=event_id, after=after, moderator=True)


async def reload(event_id: int, after: int) -> list[Frame]:
    """The hub's way to the database: frames it never got (Redis was away), for every audience."""
    return await in_thread(_reload, event_id=event_id, after=after)


def _server_seen() -> None:
    StreamServer.objects.update_or_create(origin=ORIGIN, defaults={"seen_at": timezone.now()})


async def server_alive() -> None:
    """This process says it is alive, so its open streams count as "connected now"; when it dies,
    its streams stop counting and the worker's sweep closes their attendance."""
    while True:
        try:
            await in_thread(_server_seen)
        except Exception:  # the database is busy or away: the next beat tries again
            pass
        await asyncio.sleep(SERVER_SEEN_SECONDS)


def last_seen(value: str | bytes) -> int:
    """The number of the last event a browser saw (Last-Event-ID, or ?last= on the first connect):
    0 for anything but plain digits, and no more than the database can hold."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return 0
    return int(value)


def last_event_id(scope) -> int:
    for name, value in scope["headers"]:
        if name == b"last-event-id":
            return last_seen(value)
    return last_seen(parse_qs(scope.get("query_string", b"").decode("latin-1")).get("last", [""])[0])


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*PLAIN_HEADERS, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def stream(scope, receive, send) -> None:
    """One attendee's (or speaker's) stream, from connect to disconnect. This coroutine stays for
    the whole stream, so it keeps only what it needs then; the connect is done by `_open`."""
    opened = await _open(scope, send)
    if opened is None:
        return
    try:
        while (await receive())["type"] != "http.disconnect":
            pass
    finally:
        opened.channel.leave(opened.listener)
        if opened.presence_id is not None:
            await leaves.submit(presence_id=opened.presence_id)


async def _open(scope, send) -> Opened | None:
    """Admit the stream, send what it missed, register it with its channel; None after answering a
    refusal."""
    found = PATH.match(scope["path"])
    if found is None:
        await _plain(send, 404, "No such link.")
        return None
    if scope["method"] != "GET":
        await _plain(send, 405, "Streams are read with GET.")
        return None
    hub.attach()
    after = last_event_id(scope)
    # The request's headers (cookies included) are not needed again: free them for the stream's life.
    scope["headers"].clear()
    try:
        admitted = await connects.submit(token=found[2], speaker=bool(found[1]), after=after)
    except UnknownLink:
        await _plain(send, 404, "No such link.")
        return None
    except admission.LiveRefused:
        await _plain(send, 403, admission.REFUSED)
        return None
    except Exception:  # the database is away: the browser retries by itself
        logger.exception("Live stream: could not admit a connection")
        await _plain(send, 503, "Live updates are unavailable for a moment; this page retries by itself.")
        return None
    missed = admitted.missed
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send(
        {
            "type": "http.response.body",
            "body": b"retry: 2000\n\n" + b"".join(frame.data for frame in missed),
            "more_body": True,
        }
    )
    if missed:
        after = missed[-1].seq
    channel = hub.channel(admitted.event_id)
    return Opened(channel, channel.listen(send, moderator=False, after=after), admitted.presence_id)


async def console_stream(event_id: int, last: int):
    """The moderators' console stream (served by a Django view, which checks the staff session): the
    same hub as the attendees', every audience. The hub writes into this queue; few consoles are
    open, so a queue each costs nothing that matters."""
    hub.attach()
    stored = await in_thread(frames_stored, event_id=event_id, after=last, moderator=True)
    missed = [frame for frame in stored if hub_reaches(frame.audience, moderator=True)]
    queue: deque[bytes] = deque()
    wake = asyncio.Event()

    async def send(message):
        queue.append(message["body"])
        wake.set()

    channel = hub.channel(event_id)
    listener = channel.listen(send, moderator=True, after=stored[-1].seq if stored else last)
    try:
        yield b"retry: 2000\n\n" + b"".join(frame.data for frame in missed)
        while not listener.ended:
            await wake.wait()
            wake.clear()
            while queue:
                yield queue.popleft()
    finally:
        channel.leave(listener)
