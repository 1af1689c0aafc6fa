"""Reads of video rooms: the room of an event, including the implicit "link" room of an event with only a video link."""

import re
from dataclasses import dataclass

from django.conf import settings

from podium.events.models import Event
from podium.video import jitsi
from podium.video.models import VideoRoom


def video_room_get(*, event: Event) -> VideoRoom | None:
    """The event's room; an unsaved "link" room when it has none but has a video link (Event.join_url), the way
    events worked before video engines; None when there is no way into a room at all.

    Uses the `video_room` relation, so `select_related("video_room")` on the event saves the query.
    """
    try:
        return event.video_room
    except VideoRoom.DoesNotExist:
        if event.join_url:
            # Not tied to the event object: assigning `event=` would plant this unsaved room in event.video_room.
            return VideoRoom(event_id=event.pk, engine=VideoRoom.Engine.LINK)
        return None


def video_available(*, event: Event) -> bool:
    """Is there a room to send people to? What the join rules need instead of `bool(event.join_url)`."""
    return video_room_get(event=event) is not None


ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


@dataclass(frozen=True)
class VideoEmbed:
    """Where the live page may embed the room from: the origins its Content-Security-Policy and
    Permissions-Policy must allow. Nothing personal or secret: the join itself comes later, per person."""

    origin: str
    script_url: str


def video_embed_get(*, event: Event) -> VideoEmbed | None:
    """A Jitsi room set to show inside the live page; None when the room opens in a new tab."""
    room = video_room_get(event=event)
    if room is None or room.engine != VideoRoom.Engine.JITSI or not room.embed:
        return None
    server = jitsi.JitsiServer.parse(room.jitsi_server or settings.PODIUM_JITSI_URL)
    if not ORIGIN.fullmatch(server.origin):  # it goes into response headers: nothing but scheme://host:port
        return None
    return VideoEmbed(origin=server.origin, script_url=server.script_url)
