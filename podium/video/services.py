"""The video engines behind one small interface, which the live page calls:

- `video_join(...)`: where this person enters the event's room, made now, on the server, for them alone;
- `video_room_prepare(...)`: make sure the meeting exists (BigBlueButton's `create`; nothing for other engines);
- `video_participant_count(...)`: people in the room now (BigBlueButton), or None where the engine cannot tell;
- `video_room_ended(...)`: BigBlueButton's end-of-meeting callback.

Secrets (the Jitsi JWT secret, the BigBlueButton shared secret) are read here and never leave the server: what
reaches a browser is a URL signed or tokenised for one person.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypedDict
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from podium.core.errors import ApplicationError
from podium.events.models import Event
from podium.video import bigbluebutton, jitsi
from podium.video.models import VideoRoom
from podium.video.selectors import video_room_get

logger = logging.getLogger("podium.video")

# A Jitsi token must outlive the event a little (overruns, a reconnect near the end), and never be born expired.
TOKEN_GRACE = timedelta(hours=2)
TOKEN_CLOCK_SKEW = timedelta(minutes=1)
END_CALLBACK_SALT = "podium.video.bbb-ended"


class VideoUnavailable(Exception):
    """The room cannot be entered now. `message` is written for staff; attendees should see a plain apology."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VideoJoin:
    """Where one person enters the room. Nothing in it is a secret of the server; `url` and `jwt` are this
    person's own credentials and may go to their browser only."""

    engine: str  # "jitsi", "bigbluebutton" or "link"
    url: str  # open this (link or new tab); for Jitsi also the fallback when embedding fails
    embed: bool = False  # the Jitsi IFrame API can show the room inside the live page
    domain: str = ""  # Jitsi: first argument of JitsiMeetExternalAPI
    room: str = ""  # Jitsi: roomName (with the tenant, if any)
    jwt: str = ""  # Jitsi with token authentication: this person's token
    origin: str = ""  # scheme://host of the video server (Content-Security-Policy frame-src)
    script_url: str = ""  # Jitsi when embedding: https://<server>/external_api.js (script-src)
    options: dict = field(default_factory=dict)  # Jitsi: the IFrame API options, for json_script


def video_join(
    *, event: Event, display_name: str, email: str, user_id: str, moderator: bool, prepare: bool = True
) -> VideoJoin:
    """Where this person enters the room now. Speakers and staff pass moderator=True.

    `user_id` identifies the person to the engine: the registration's id for registrants (BigBlueButton's
    userID, the JWT's context.user.id, {registration_id} in link templates); use something else that is
    stable for speakers, such as "speaker-<participation id>".
    For BigBlueButton this first calls `create` (idempotent) unless prepare=False, so the meeting exists
    and the join URL is bound to this meeting's createTime. Raises VideoUnavailable.
    """
    room = video_room_get(event=event)
    if room is None:
        raise VideoUnavailable("This event has no video room and no video link yet.")
    display_name = " ".join(display_name.split()) or "Participant"
    if room.engine == VideoRoom.Engine.JITSI:
        return _jitsi_join(room, event, display_name=display_name, email=email, user_id=user_id, moderator=moderator)
    if room.engine == VideoRoom.Engine.BIGBLUEBUTTON:
        create_time = _bbb_create(room, event) if prepare else ""
        return _bbb_join(
            room, event, display_name=display_name, user_id=user_id, moderator=moderator, create_time=create_time
        )
    return _link_join(room, event, display_name=display_name, email=email, user_id=user_id)


def video_room_engine_set(*, event: Event, engine: str) -> VideoRoom | None:
    """Staff choose the engine on the event form. A "link" event needs no room of its own (its video link
    is the room); the settings of a room already set up in the admin are kept."""
    if engine not in VideoRoom.Engine.values:
        raise ApplicationError("Choose a video engine from the list.", field="video_engine")
    with transaction.atomic():
        room = VideoRoom.objects.select_for_update().filter(event=event).first()
        if room is None and engine == VideoRoom.Engine.LINK:
            return None
        if room is None:
            room = VideoRoom(event=event)
        if room.engine == engine and room.pk is not None:
            return room
        room.engine = engine
        try:
            room.full_clean(exclude=["event"])
        except ValidationError as error:
            field = "join_url" if engine == VideoRoom.Engine.LINK else "video_engine"
            raise ApplicationError(" ".join(error.messages), field=field) from None
        room.save()
    return room


def video_room_prepare(*, event: Event) -> None:
    """BigBlueButton: create the meeting if it does not exist (safe to call any number of times).
    Other engines have nothing to prepare. Raises VideoUnavailable."""
    room = video_room_get(event=event)
    if room is not None and room.engine == VideoRoom.Engine.BIGBLUEBUTTON:
        _bbb_create(room, event)


def video_participant_count(*, event: Event) -> int | None:
    """People in the BigBlueButton meeting now (0 when it is not running); None for engines that cannot
    tell. Raises VideoUnavailable when the server cannot be asked."""
    room = video_room_get(event=event)
    if room is None or room.engine != VideoRoom.Engine.BIGBLUEBUTTON:
        return None
    api_url, secret = _bbb_server(room)
    try:
        answer = bigbluebutton.call(
            api_url,
            "getMeetingInfo",
            [("meetingID", bbb_meeting_id(room, event))],
            secret=secret,
            algorithm=room.bbb_checksum_algorithm,
            timeout=settings.PODIUM_VIDEO_TIMEOUT,
            missing_ok=True,
        )
    except bigbluebutton.BigBlueButtonError as error:
        raise VideoUnavailable(error.message) from None
    if answer is None:
        return 0
    try:
        return int(answer.get("participantCount"))
    except ValueError:
        raise VideoUnavailable("BigBlueButton's getMeetingInfo answer has no participant count.") from None


def video_room_ended(*, event_uid, token: str) -> bool:
    """BigBlueButton called the end-of-meeting callback: note when. False (and nothing changes) when the
    token is not the one Podium gave BigBlueButton for this event."""
    if not constant_time_compare(token, bbb_end_callback_token(event_uid)):
        return False
    updated = VideoRoom.objects.filter(event__uid=event_uid, engine=VideoRoom.Engine.BIGBLUEBUTTON).update(
        ended_at=timezone.now()
    )
    if updated:
        logger.info("BigBlueButton meeting of event %s ended", event_uid)
    return bool(updated)


# Jitsi -------------------------------------------------------------------------------------------------


def jitsi_room_name(room: VideoRoom, event: Event) -> str:
    return room.room_name or jitsi.room_name_default(slug=event.slug, uid=event.uid)


class _JitsiPerson(TypedDict):
    """Who enters which room: what both the join URL and the embedded room's options are made from."""

    server: jitsi.JitsiServer
    room: str
    display_name: str
    token: str
    moderator: bool


def _jitsi_join(
    room: VideoRoom, event: Event, *, display_name: str, email: str, user_id: str, moderator: bool
) -> VideoJoin:
    server = jitsi.JitsiServer.parse(room.jitsi_server or settings.PODIUM_JITSI_URL)
    name = jitsi_room_name(room, event)
    token = ""
    if room.jitsi_jwt:
        secret = room.jitsi_jwt_secret or settings.PODIUM_JITSI_JWT_SECRET
        app_id = room.jitsi_app_id or settings.PODIUM_JITSI_APP_ID
        if not secret or not app_id:
            raise VideoUnavailable(
                "The Jitsi room uses token authentication, but no JWT secret or application id "
                "is set (PODIUM_JITSI_JWT_SECRET, PODIUM_JITSI_APP_ID or the room's own)."
            )
        now = timezone.now()
        token = jitsi.jwt_encode(
            jitsi.jwt_claims(
                server=server,
                room=name,
                app_id=app_id,
                audience=room.jitsi_audience or settings.PODIUM_JITSI_AUDIENCE,
                display_name=display_name,
                email=email,
                user_id=user_id,
                moderator=moderator,
                not_before=now - TOKEN_CLOCK_SKEW,
                expires=max(event.ends_at, now) + TOKEN_GRACE,
            ),
            secret,
        )
    person = _JitsiPerson(server=server, room=name, display_name=display_name, token=token, moderator=moderator)
    return VideoJoin(
        engine=VideoRoom.Engine.JITSI,
        url=jitsi.join_url(**person),
        embed=room.embed,
        domain=server.domain,
        room=server.room_path(name),
        jwt=token,
        origin=server.origin,
        script_url=server.script_url if room.embed else "",
        options=jitsi.iframe_options(**person),
    )


# BigBlueButton -----------------------------------------------------------------------------------------


def bbb_meeting_id(room: VideoRoom, event: Event) -> str:
    return room.meeting_id or f"podium-{event.uid}"


def bbb_end_callback_token(event_uid) -> str:
    """Deterministic (create must be repeatable with the same parameters), and only Podium can make it."""
    return signing.Signer(salt=END_CALLBACK_SALT).signature(str(event_uid))


def bbb_end_callback_url(event: Event) -> str:
    path = reverse("video:bbb_ended", args=[event.uid, bbb_end_callback_token(event.uid)])
    return f"{settings.SITE_URL}{path}"


def _bbb_server(room: VideoRoom) -> tuple[str, str]:
    api_url = room.bbb_api_url or settings.PODIUM_BBB_URL
    secret = room.bbb_secret or settings.PODIUM_BBB_SECRET
    if not api_url or not secret:
        raise VideoUnavailable(
            "The BigBlueButton room has no server API URL or shared secret "
            "(PODIUM_BBB_URL and PODIUM_BBB_SECRET, or the room's own)."
        )
    return api_url, secret


def _bbb_create(room: VideoRoom, event: Event) -> str:
    """`create`, idempotent on BigBlueButton's side; returns the meeting's createTime."""
    api_url, secret = _bbb_server(room)
    params = [("name", event.title), ("meetingID", bbb_meeting_id(room, event))]
    if room.welcome:
        params.append(("welcome", room.welcome))
    if room.moderator_message:
        params.append(("moderatorOnlyMessage", room.moderator_message))
    params += [
        ("logoutURL", f"{settings.SITE_URL}{reverse('public:event', args=[event.slug])}"),
        ("meta_endCallbackUrl", bbb_end_callback_url(event)),
    ]
    try:
        answer = bigbluebutton.call(
            api_url,
            "create",
            params,
            secret=secret,
            algorithm=room.bbb_checksum_algorithm,
            timeout=settings.PODIUM_VIDEO_TIMEOUT,
        )
    except bigbluebutton.BigBlueButtonError as error:
        raise VideoUnavailable(error.message) from None
    assert answer is not None  # only a call with missing_ok answers None
    if room.pk and (room.ended_at is not None or room.prepared_at is None):
        # A new meeting after one that ended (or the first): what staff see in the admin.
        now = timezone.now()
        VideoRoom.objects.filter(pk=room.pk).update(prepared_at=now, ended_at=None)
        room.prepared_at, room.ended_at = now, None
    return answer.get("createTime")


def _bbb_join(
    room: VideoRoom, event: Event, *, display_name: str, user_id: str, moderator: bool, create_time: str
) -> VideoJoin:
    api_url, secret = _bbb_server(room)
    params = [
        ("fullName", display_name),
        ("meetingID", bbb_meeting_id(room, event)),
        ("role", "MODERATOR" if moderator else "VIEWER"),
        ("userID", user_id),
        ("redirect", "true"),
    ]
    if create_time:
        params.append(("createTime", create_time))  # this meeting only: useless once it ends
    url = bigbluebutton.signed_url(api_url, "join", params, secret, room.bbb_checksum_algorithm)
    parts = urlsplit(api_url)
    return VideoJoin(engine=VideoRoom.Engine.BIGBLUEBUTTON, url=url, origin=f"{parts.scheme}://{parts.netloc}")


# Link -------------------------------------------------------------------------------------------------


def _link_join(room: VideoRoom, event: Event, *, display_name: str, email: str, user_id: str) -> VideoJoin:
    if room.link_url:
        try:
            url = room.link_url.format(
                name=quote(display_name, safe=""), email=quote(email, safe=""), registration_id=quote(user_id, safe="")
            )
        except (KeyError, IndexError, ValueError):
            raise VideoUnavailable(
                "The room's link has a placeholder Podium does not know: use {name}, {email} or {registration_id}."
            ) from None
    elif event.join_url:
        url = event.join_url  # the event's own video link is used as it is, never formatted
    else:
        raise VideoUnavailable("The room has no link and the event has no video link.")
    parts = urlsplit(url)
    return VideoJoin(engine=VideoRoom.Engine.LINK, url=url, origin=f"{parts.scheme}://{parts.netloc}")
