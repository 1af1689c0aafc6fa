"""Reads of video rooms: the room of an event, including the implicit "link" room of an event with only a video link."""

from podium.events.models import Event
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
