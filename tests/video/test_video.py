"""Video engines: BigBlueButton's signed calls against a local stand-in server, Jitsi's per-person URLs and
tokens, plain and per-registrant links, the end-of-meeting callback, and secrets that never reach a page."""

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import asdict
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit
from urllib.request import urlopen

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from podium.video import bigbluebutton
from podium.video.models import VideoRoom, validate_link_template
from podium.video.selectors import video_available
from podium.video.services import (
    VideoUnavailable,
    bbb_end_callback_token,
    video_join,
    video_participant_count,
    video_room_prepare,
)

BBB_SECRET = "8cd8ef52e8e101574e400365b55e11a6-podium-test"
JWT_SECRET = "jitsi-app-secret-for-tests-only"


# BigBlueButton's checksum, against the worked examples -----------------------------------------------------


def test_bbb_checksum_matches_the_example_in_bigbluebuttons_api_documentation():
    # docs.bigbluebutton.org/development/api, "API Security Model › Usage": create, SHA-1.
    query = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
    secret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"
    assert bigbluebutton.checksum("create", query, secret, "sha1") == "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    # The same call built from its parameters encodes the name the way the example does ("+" for the space).
    url = bigbluebutton.signed_url(
        "https://bbb.example.org/bigbluebutton/api/",
        "create",
        [("name", "Test Meeting"), ("meetingID", "abc123"), ("attendeePW", "111222"), ("moderatorPW", "333444")],
        secret,
        "sha1",
    )
    assert url == (
        "https://bbb.example.org/bigbluebutton/api/create?name=Test+Meeting&meetingID=abc123"
        "&attendeePW=111222&moderatorPW=333444&checksum=1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"
    )


def test_bbb_checksum_sha256_matches_a_published_example():
    # bbbserver.com's API guide, "Checksum & Authentication": the same create call in SHA-1 and SHA-256.
    query = (
        "name=Demo&meetingID=replace-with-meeting-id&attendeePW=replace-with-password&moderatorPW=replace-with-password"
    )
    assert bigbluebutton.checksum("create", query, "replace-with-secret", "sha256") == (
        "7e5a0a48f1542462e56ca034dc83d741bff1deb5feab0cd9ef74fa6e009fe1fd"
    )
    assert bigbluebutton.checksum("create", query, "replace-with-secret", "sha1") == (
        "7030bd96ede6a7ac41da848fe3bfc562e52a5914"
    )
    with pytest.raises(ValueError):
        bigbluebutton.checksum("create", query, "replace-with-secret", "md5")


# A stand-in BigBlueButton server on loopback ---------------------------------------------------------------


def _xml(**fields) -> bytes:
    body = "".join(f"<{name}>{value}</{name}>" for name, value in fields.items())
    return f"<response>{body}</response>".encode()


class FakeBigBlueButton:
    """Answers create, join and getMeetingInfo like BigBlueButton's documented responses, and checks the
    checksum of every request the way the server does: over the query without `checksum`, with the algorithm
    told by the checksum's length."""

    LENGTHS = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}

    def __init__(self, secret: str = BBB_SECRET, algorithms=("sha1", "sha256", "sha384", "sha512")):
        self.secret, self.algorithms = secret, set(algorithms)
        self.calls: list[dict] = []
        self.meetings: dict[str, dict] = {}
        self.delay = 0.0
        self.not_xml = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/bigbluebutton/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def checksum_ok(self, name: str, raw_query: str) -> bool:
        parts = raw_query.split("&")
        given = [part.split("=", 1)[1] for part in parts if part.startswith("checksum=")]
        query = "&".join(part for part in parts if not part.startswith("checksum="))
        if len(given) != 1 or self.LENGTHS.get(len(given[0])) not in self.algorithms:
            return False
        expected = hashlib.new(self.LENGTHS[len(given[0])], f"{name}{query}{self.secret}".encode()).hexdigest()
        return hmac.compare_digest(expected, given[0])

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        time.sleep(self.delay)
        split = urlsplit(request.path)
        name = split.path.rsplit("/", 1)[-1]
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        ok = self.checksum_ok(name, split.query)
        self.calls.append({"call": name, "params": params, "checksum_ok": ok, "path": request.path})
        if self.not_xml:
            body = b"<html><body>Welcome to nginx!</body></html"
        elif not ok:
            body = _xml(returncode="FAILED", messageKey="checksumError", message="Checksums do not match")
        elif name == "create":
            meeting = self.meetings.get(params["meetingID"])
            if meeting is None:
                meeting = self.meetings[params["meetingID"]] = {
                    "createTime": str(1531155809613 + len(self.meetings)),
                    "participants": 0,
                    "params": params,
                }
                body = _xml(
                    returncode="SUCCESS",
                    meetingID=params["meetingID"],
                    internalMeetingID="640ab2bae07bedc4c163f679a746f7ab7fb5d1fa-1531155809613",
                    createTime=meeting["createTime"],
                    hasUserJoined="false",
                    duration="0",
                    hasBeenForciblyEnded="false",
                    messageKey="",
                    message="",
                )
            else:
                body = _xml(
                    returncode="SUCCESS",
                    meetingID=params["meetingID"],
                    createTime=meeting["createTime"],
                    messageKey="duplicateWarning",
                    message="This conference was already in existence and may currently be in progress.",
                )
        elif name == "getMeetingInfo":
            meeting = self.meetings.get(params.get("meetingID", ""))
            if meeting is None:
                body = _xml(
                    returncode="FAILED",
                    messageKey="notFound",
                    message="We could not find a meeting with that meeting ID",
                )
            else:
                body = _xml(
                    returncode="SUCCESS",
                    meetingID=params["meetingID"],
                    running="true",
                    createTime=meeting["createTime"],
                    participantCount=meeting["participants"],
                    listenerCount="0",
                    moderatorCount="1",
                    attendees="<attendee><userID>w_1</userID><role>MODERATOR</role></attendee>",
                )
        elif name == "join":
            meeting = self.meetings.get(params.get("meetingID", ""))
            if meeting is None or params.get("createTime", meeting["createTime"]) != meeting["createTime"]:
                body = _xml(returncode="FAILED", messageKey="invalidMeetingIdentifier", message="No meeting")
            else:
                body = _xml(
                    returncode="SUCCESS",
                    messageKey="successfullyJoined",
                    message="You have joined successfully.",
                    user_id=params.get("userID", ""),
                )
        else:
            body = _xml(returncode="FAILED", messageKey="unsupportedRequest", message="Unsupported request")
        try:
            request.send_response(200)
            request.send_header("Content-Type", "text/xml")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
        except OSError:
            pass  # the client gave up (the timeout test)

    def of(self, name: str) -> list[dict]:
        return [call for call in self.calls if call["call"] == name]


@pytest.fixture
def bbb():
    fake = FakeBigBlueButton()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    fake.thread.join(timeout=5)


@pytest.fixture
def bbb_room(make_event, bbb):
    event = make_event(title="Pakistan & Central Asia: “Connectivity”")
    return VideoRoom.objects.create(
        event=event,
        engine=VideoRoom.Engine.BIGBLUEBUTTON,
        bbb_api_url=bbb.api_url,
        bbb_secret=BBB_SECRET,
        welcome="Welcome to %%CONFNAME%%",
        moderator_message="Please mute the audience",
    )


def _query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


# BigBlueButton -------------------------------------------------------------------------------------------


def test_bbb_join_creates_the_meeting_and_signs_a_join_url_for_this_person(bbb, bbb_room, settings):
    event = bbb_room.event
    join = video_join(
        event=event, display_name="Dr. Atia  Kazmi", email="atia@example.org", user_id="42", moderator=True
    )

    [create] = bbb.of("create")
    assert create["checksum_ok"]
    meeting_id = f"podium-{event.uid}"
    assert create["params"]["meetingID"] == meeting_id
    assert create["params"]["name"] == "Pakistan & Central Asia: “Connectivity”"
    assert create["params"]["welcome"] == "Welcome to %%CONFNAME%%"
    assert create["params"]["moderatorOnlyMessage"] == "Please mute the audience"
    assert create["params"]["logoutURL"] == f"http://testserver/events/{event.slug}/"
    callback = create["params"]["meta_endCallbackUrl"]
    assert callback == f"http://testserver/video/bbb/{event.uid}/ended/{bbb_end_callback_token(event.uid)}/"
    assert "attendeePW" not in create["params"] and "moderatorPW" not in create["params"]  # roles, not passwords

    assert join.engine == "bigbluebutton" and join.embed is False
    assert join.url.startswith(bbb.api_url + "join?")
    params = _query(join.url)
    assert params["fullName"] == "Dr. Atia Kazmi"
    assert params["meetingID"] == meeting_id
    assert params["role"] == "MODERATOR"
    assert params["userID"] == "42"
    assert params["redirect"] == "true"
    assert params["createTime"] == bbb.meetings[meeting_id]["createTime"]
    # SHA-256 by default, over exactly the query that is sent.
    query, _, checksum = urlsplit(join.url).query.rpartition("&checksum=")
    assert checksum == hashlib.sha256(f"join{query}{BBB_SECRET}".encode()).hexdigest()
    assert BBB_SECRET not in json.dumps(asdict(join))
    assert join.origin == bbb.api_url.split("/bigbluebutton")[0]

    # The browser's request, as BigBlueButton sees it: accepted.
    with urlopen(join.url, timeout=5) as response:
        assert b"successfullyJoined" in response.read()
    assert bbb.of("join")[-1]["checksum_ok"]

    viewer = video_join(
        event=event, display_name="Ms. Hira Baig", email="hira@example.org", user_id="43", moderator=False
    )
    assert _query(viewer.url)["role"] == "VIEWER" and _query(viewer.url)["userID"] == "43"
    assert len(bbb.of("create")) == 2 and len(bbb.meetings) == 1  # create again: the same meeting
    bbb_room.refresh_from_db()
    assert bbb_room.prepared_at is not None and bbb_room.ended_at is None


def test_bbb_sha1_where_configured_and_the_server_accepts_only_sha1(make_event):
    fake = FakeBigBlueButton(algorithms=("sha1",))
    fake.thread.start()
    try:
        event = make_event()
        VideoRoom.objects.create(
            event=event,
            engine="bigbluebutton",
            bbb_api_url=fake.api_url,
            bbb_secret=BBB_SECRET,
            bbb_checksum_algorithm="sha1",
        )
        join = video_join(event=event, display_name="A", email="a@example.org", user_id="1", moderator=False)
        assert len(_query(join.url)["checksum"]) == 40
        assert fake.of("create")[0]["checksum_ok"]
        with urlopen(join.url, timeout=5) as response:
            assert b"successfullyJoined" in response.read()

        VideoRoom.objects.filter(event=event).update(bbb_checksum_algorithm="sha256")
        event.refresh_from_db()
        with pytest.raises(VideoUnavailable, match="refused the checksum of create"):
            video_room_prepare(event=event)
    finally:
        fake.server.shutdown()
        fake.server.server_close()


def test_bbb_wrong_secret_is_a_clear_error_for_staff(bbb, bbb_room):
    VideoRoom.objects.filter(pk=bbb_room.pk).update(bbb_secret="not-the-secret")
    event = bbb_room.event
    event.refresh_from_db()
    with pytest.raises(VideoUnavailable) as error:
        video_join(event=event, display_name="A", email="a@example.org", user_id="1", moderator=True)
    assert "check the shared secret" in error.value.message
    assert "not-the-secret" not in error.value.message
    assert bbb.of("create") and not bbb.of("create")[0]["checksum_ok"]
    assert bbb.meetings == {}


def test_bbb_participant_count_from_get_meeting_info(bbb, bbb_room, make_event):
    event = bbb_room.event
    assert video_participant_count(event=event) == 0  # notFound: nobody is in a meeting that does not exist
    video_room_prepare(event=event)
    video_room_prepare(event=event)  # idempotent
    assert len(bbb.meetings) == 1
    bbb.meetings[f"podium-{event.uid}"]["participants"] = 37
    assert video_participant_count(event=event) == 37
    assert all(call["checksum_ok"] for call in bbb.calls)
    assert bbb.of("getMeetingInfo")[-1]["params"] == {
        "meetingID": f"podium-{event.uid}",
        "checksum": bbb.of("getMeetingInfo")[-1]["params"]["checksum"],
    }

    jitsi = make_event()
    VideoRoom.objects.create(event=jitsi, engine="jitsi")
    assert video_participant_count(event=jitsi) is None
    assert video_participant_count(event=make_event(join_url="https://zoom.us/j/123")) is None
    assert video_participant_count(event=make_event()) is None


def test_bbb_server_that_does_not_answer_in_time(bbb, bbb_room, settings):
    settings.PODIUM_VIDEO_TIMEOUT = 0.3
    bbb.delay = 2
    started = time.monotonic()
    with pytest.raises(VideoUnavailable, match=r"did not answer create within 0.3 s"):
        video_room_prepare(event=bbb_room.event)
    assert time.monotonic() - started < 1.5


def test_bbb_server_unreachable_or_not_bigbluebutton(bbb, bbb_room, make_event):
    bbb.not_xml = True
    with pytest.raises(VideoUnavailable, match="not XML: is the API URL right"):
        video_participant_count(event=bbb_room.event)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]  # nothing listens once the socket is closed
    event = make_event()
    VideoRoom.objects.create(
        event=event,
        engine="bigbluebutton",
        bbb_secret=BBB_SECRET,
        bbb_api_url=f"http://127.0.0.1:{closed_port}/bigbluebutton/api/",
    )
    with pytest.raises(VideoUnavailable, match="could not be reached"):
        video_room_prepare(event=event)
    VideoRoom.objects.filter(event=event).update(bbb_api_url="file:///etc/passwd")
    event.refresh_from_db()
    with pytest.raises(VideoUnavailable, match="not an http"):
        video_participant_count(event=event)


def test_bbb_uses_the_environment_server_and_secret_and_says_when_they_are_missing(bbb, make_event, settings):
    event = make_event()
    VideoRoom.objects.create(event=event, engine="bigbluebutton")
    settings.PODIUM_BBB_URL, settings.PODIUM_BBB_SECRET = "", ""
    with pytest.raises(VideoUnavailable, match="no server API URL or shared secret"):
        video_join(event=event, display_name="A", email="a@example.org", user_id="1", moderator=False)
    assert bbb.calls == []
    settings.PODIUM_BBB_URL, settings.PODIUM_BBB_SECRET = bbb.api_url, BBB_SECRET
    join = video_join(event=event, display_name="A", email="a@example.org", user_id="1", moderator=False)
    assert bbb.of("create")[0]["checksum_ok"] and join.url.startswith(bbb.api_url)


def test_bbb_end_callback_marks_the_meeting_ended_only_with_podiums_token(bbb, bbb_room, client, make_event):
    event = bbb_room.event
    video_room_prepare(event=event)
    callback = bbb.of("create")[0]["params"]["meta_endCallbackUrl"]
    path = urlsplit(callback).path

    other = make_event()
    forged = reverse("video:bbb_ended", args=[event.uid, bbb_end_callback_token(other.uid)])
    assert client.get(forged).status_code == 404
    assert client.get(reverse("video:bbb_ended", args=[event.uid, "x" * 27])).status_code == 404
    assert (
        client.get(reverse("video:bbb_ended", args=[uuid.uuid4(), bbb_end_callback_token(event.uid)])).status_code
        == 404
    )
    bbb_room.refresh_from_db()
    assert bbb_room.ended_at is None

    # BigBlueButton adds recordingmarks to the URL it was given.
    response = client.get(path, {"recordingmarks": "false"})
    assert response.status_code == 200
    bbb_room.refresh_from_db()
    assert bbb_room.ended_at is not None
    assert client.post(path).status_code == 405

    video_room_prepare(event=event)  # someone comes back: a new meeting
    bbb_room.refresh_from_db()
    assert bbb_room.ended_at is None


# Jitsi Meet ----------------------------------------------------------------------------------------------


def _fragment(url: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in urlsplit(url).fragment.split("&"))


def test_jitsi_without_token_embeds_and_names_the_person(make_event):
    event = make_event(slug="pakistan-central-asia")
    VideoRoom.objects.create(event=event, engine="jitsi")
    name = 'Dr. Atia "AK" Kazmi – کاظمی'
    join = video_join(event=event, display_name=name, email="atia@example.org", user_id="7", moderator=False)

    room = f"pakistan-central-asia-{event.uid.hex[:12]}"
    assert join.engine == "jitsi" and join.embed is True
    assert join.domain == "meet.jit.si" and join.room == room and join.jwt == ""
    assert join.url.startswith(f"https://meet.jit.si/{room}#")
    fragment = _fragment(join.url)
    assert json.loads(unquote(fragment["userInfo.displayName"])) == name
    assert fragment["config.startWithAudioMuted"] == "true"  # the audience comes in listening
    assert "atia@example.org" not in join.url  # no address in a URL that lands in browser history
    assert join.script_url == "https://meet.jit.si/external_api.js" and join.origin == "https://meet.jit.si"
    assert join.options == {
        "roomName": room,
        "userInfo": {"displayName": name},
        "configOverwrite": {"startWithAudioMuted": True, "startWithVideoMuted": True},
    }

    speaker = video_join(event=event, display_name="Brig (Retd) Amir Yaqub", email="", user_id="s-1", moderator=True)
    assert "config.startWithAudioMuted" not in speaker.url and "configOverwrite" not in speaker.options

    VideoRoom.objects.filter(event=event).update(embed=False, room_name="NIPS-Room_1")
    event.refresh_from_db()
    tab = video_join(event=event, display_name="A", email="", user_id="7", moderator=False)
    assert tab.embed is False and tab.script_url == "" and tab.url.startswith("https://meet.jit.si/NIPS-Room_1#")


def _decode_verified(token: str, secret: str) -> tuple[dict, dict]:
    """Decode a JWT, checking its HS256 signature independently of the code under test."""

    def unpad(part: str) -> bytes:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    header, payload, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(unpad(signature), expected), "signature does not verify"
    return json.loads(unpad(header)), json.loads(unpad(payload))


def test_jitsi_token_is_signed_per_person_with_the_claims_prosody_checks(make_event, settings):
    settings.PODIUM_JITSI_JWT_SECRET = JWT_SECRET
    settings.PODIUM_JITSI_APP_ID = "podium"
    event = make_event()
    VideoRoom.objects.create(
        event=event,
        engine="jitsi",
        jitsi_server="https://video.nips.example.org",
        room_name="NIPS-Lecture-7",
        jitsi_jwt=True,
    )
    before = timezone.now()
    attendee = video_join(
        event=event, display_name="Ms. Hira Baig", email="hira@example.org", user_id="43", moderator=False
    )
    speaker = video_join(
        event=event, display_name="Dr. Atia Ali Kazmi", email="atia@example.org", user_id="s-9", moderator=True
    )

    header, claims = _decode_verified(attendee.jwt, JWT_SECRET)
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert claims["iss"] == "podium" and claims["aud"] == "jitsi"
    assert claims["sub"] == "video.nips.example.org"
    assert claims["room"] == "nips-lecture-7"
    assert claims["exp"] >= (event.ends_at + timedelta(hours=2)).timestamp() - 1
    assert claims["nbf"] <= before.timestamp()
    assert claims["context"]["user"] == {
        "id": "43",
        "name": "Ms. Hira Baig",
        "email": "hira@example.org",
        "moderator": "false",
        "affiliation": "member",
    }
    _, speaker_claims = _decode_verified(speaker.jwt, JWT_SECRET)
    assert speaker_claims["context"]["user"]["moderator"] == "true"
    assert speaker_claims["context"]["user"]["affiliation"] == "owner"
    with pytest.raises(AssertionError):
        _decode_verified(attendee.jwt, "another-secret")

    assert attendee.url.startswith(f"https://video.nips.example.org/NIPS-Lecture-7?jwt={attendee.jwt}#")
    assert attendee.options["jwt"] == attendee.jwt and attendee.domain == "video.nips.example.org"
    assert JWT_SECRET not in json.dumps(asdict(attendee)) + json.dumps(asdict(speaker))


def test_jitsi_token_for_a_tenant_and_a_room_secret(make_event, settings):
    settings.PODIUM_JITSI_JWT_SECRET = ""
    event = make_event(ends_at=timezone.now() - timedelta(hours=5), starts_at=timezone.now() - timedelta(hours=6))
    VideoRoom.objects.create(
        event=event,
        engine="jitsi",
        jitsi_server="https://8x8.vc/vpaas-magic-cookie-abc/",
        room_name="Lecture",
        jitsi_jwt=True,
        jitsi_app_id="app",
        jitsi_audience="jaas",
        jitsi_jwt_secret="room-secret",
    )
    join = video_join(event=event, display_name="A", email="a@example.org", user_id="1", moderator=False)
    _, claims = _decode_verified(join.jwt, "room-secret")
    assert claims["sub"] == "vpaas-magic-cookie-abc" and claims["aud"] == "jaas" and claims["iss"] == "app"
    assert claims["exp"] > timezone.now().timestamp() + 3600  # an event that ran late: never born expired
    assert join.domain == "8x8.vc" and join.room == "vpaas-magic-cookie-abc/Lecture"
    assert join.url.startswith("https://8x8.vc/vpaas-magic-cookie-abc/Lecture?jwt=")


def test_jitsi_token_without_secret_is_refused(make_event, settings):
    settings.PODIUM_JITSI_JWT_SECRET, settings.PODIUM_JITSI_APP_ID = "", "podium"
    event = make_event()
    VideoRoom.objects.create(event=event, engine="jitsi", jitsi_jwt=True)
    with pytest.raises(VideoUnavailable, match="no JWT secret"):
        video_join(event=event, display_name="A", email="", user_id="1", moderator=False)


# Links (Zoom or any other service) -------------------------------------------------------------------------


def test_event_with_only_a_video_link_is_a_link_room_and_without_one_there_is_no_room(make_event):
    linked = make_event(join_url="https://zoom.us/j/9988776655?pwd=abc")
    assert video_available(event=linked)
    join = video_join(event=linked, display_name="A", email="a@example.org", user_id="1", moderator=True)
    assert (join.engine, join.url, join.embed, join.origin) == (
        "link",
        "https://zoom.us/j/9988776655?pwd=abc",
        False,
        "https://zoom.us",
    )
    assert not VideoRoom.objects.exists()  # nothing was saved for it

    bare = make_event(join_url="")
    assert not video_available(event=bare)
    with pytest.raises(VideoUnavailable, match="no video room"):
        video_join(event=bare, display_name="A", email="", user_id="1", moderator=False)


def test_per_registrant_link_fills_in_url_encoded_placeholders(make_event):
    event = make_event(join_url="https://zoom.us/j/1")
    VideoRoom.objects.create(
        event=event,
        engine="link",
        link_url="https://nips.zoom.us/w/123?uname={name}&email={email}&tk={registration_id}",
    )
    join = video_join(
        event=event,
        display_name="Col (Retd) Tariq & Sons",
        email="tariq+nips@example.org",
        user_id="57",
        moderator=False,
    )
    assert join.url == (
        "https://nips.zoom.us/w/123?uname=Col%20%28Retd%29%20Tariq%20%26%20Sons&email=tariq%2Bnips%40example.org&tk=57"
    )
    assert _query(join.url) == {"uname": "Col (Retd) Tariq & Sons", "email": "tariq+nips@example.org", "tk": "57"}


@pytest.mark.parametrize(
    "template, message",
    [
        ("https://zoom.us/j/1?u={username}", "Unknown placeholder {username}"),
        ("https://zoom.us/j/1?u={name.__class__}", "Unknown placeholder"),
        ("https://zoom.us/j/1?u={name", "Braces must come in pairs"),
        ("javascript:alert(1)//{name}", "valid URL"),
    ],
)
def test_link_template_refuses_unknown_placeholders_and_other_schemes(template, message):
    with pytest.raises(ValidationError, match=message):
        validate_link_template(template)
    validate_link_template("https://zoom.us/j/1?uname={name}&e={email}&r={registration_id}")


# The admin: secrets are write-only --------------------------------------------------------------------------


def _admin_form_data(page) -> dict:
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = value
    return data


def test_admin_sets_secrets_without_ever_showing_them(admin_client, make_event):
    event = make_event()
    add = admin_client.get(reverse("admin:video_videoroom_add"))
    data = {
        **_admin_form_data(add),
        "event": event.pk,
        "engine": "bigbluebutton",
        "bbb_api_url": "https://bbb.example.org/bigbluebutton/api/",
        "bbb_checksum_algorithm": "sha256",
        "new_bbb_secret": "bbb-shared-secret-123",
        "new_jitsi_jwt_secret": "",
    }
    response = admin_client.post(reverse("admin:video_videoroom_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    room = VideoRoom.objects.get(event=event)
    assert room.bbb_secret == "bbb-shared-secret-123" and room.jitsi_jwt_secret == ""

    change_url = reverse("admin:video_videoroom_change", args=[room.pk])
    page = admin_client.get(change_url)
    html = page.content.decode()
    assert "bbb-shared-secret-123" not in html
    assert "This room has its own secret" in html
    assert "bbb-shared-secret-123" not in admin_client.get(reverse("admin:video_videoroom_changelist")).content.decode()
    event_page = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "BigBlueButton" in event_page and change_url in event_page and "bbb-shared-secret-123" not in event_page

    # Saving without typing a secret keeps it; "remove" removes it.
    data = {**_admin_form_data(page), "welcome": "Welcome"}
    assert "new_bbb_secret" not in data  # the form never carries it back
    assert admin_client.post(change_url, data).status_code == 302
    room.refresh_from_db()
    assert room.bbb_secret == "bbb-shared-secret-123" and room.welcome == "Welcome"
    assert admin_client.post(change_url, {**data, "clear_bbb_secret": "on"}).status_code == 302
    room.refresh_from_db()
    assert room.bbb_secret == ""


def test_admin_refuses_bbb_room_without_a_server(admin_client, make_event, settings):
    settings.PODIUM_BBB_URL = ""
    event = make_event()
    add = admin_client.get(reverse("admin:video_videoroom_add"))
    data = {
        **_admin_form_data(add),
        "event": event.pk,
        "engine": "bigbluebutton",
        "bbb_checksum_algorithm": "sha256",
        "new_bbb_secret": "typed-secret-xyz",
    }
    response = admin_client.post(reverse("admin:video_videoroom_add"), data)
    assert response.status_code == 200
    assert "Give the server" in response.content.decode()
    assert "typed-secret-xyz" not in response.content.decode()  # a form shown again does not echo the secret
    assert not VideoRoom.objects.exists()


def test_event_admin_without_a_room_offers_to_add_one(admin_client, make_event):
    event = make_event(join_url="https://zoom.us/j/1")
    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "people are sent to the video link above" in html
    assert f"{reverse('admin:video_videoroom_add')}?event={event.pk}" in html


# The demo ---------------------------------------------------------------------------------------------------


def test_demo_webinar_embeds_its_jitsi_room(db, settings, tmp_path):
    from podium.demo.loader import demo_load
    from podium.events.models import Event

    settings.DATA_DIR = tmp_path
    demo_load()
    demo_load()  # again: updates in place
    event = Event.objects.get(slug="pakistan-central-asia-connectivity")
    assert VideoRoom.objects.filter(event=event).count() == 1
    join = video_join(
        event=event, display_name="Ms. Hira Baig", email="hira.baig@example.org", user_id="3", moderator=False
    )
    assert join.embed and join.domain == "meet.jit.si" and join.room == "NIPS-Pakistan-Central-Asia-Connectivity"
    assert join.url.split("#")[0] == event.join_url  # the same room as the link in people's emails
