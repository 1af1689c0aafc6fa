"""The live session: questions, votes, polls and privacy rules; streams that catch up after a Redis
restart and after a server restart, against a real uvicorn process and a real redis-server."""

import io
import re
import socket
import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.core.errors import ApplicationError
from podium.core.middleware import SECURITY_HEADERS
from podium.events.models import Event
from podium.live import selectors, services
from podium.live.bridge import RedisBridge
from podium.live.event_types import PollResults
from podium.live.hub import hub
from podium.live.models import LiveEvent, LiveSession, Poll, Presence, Question, StreamServer
from podium.registrations.models import Registration
from tests.support.processes import RedisServer, Server, wait_for
from tests.support.streams import Reader

S = Registration.Status


@pytest.fixture
def live_event(make_event, add_speaker):
    start = timezone.now() - timedelta(minutes=10)
    event = make_event(
        title="Pakistan–Russia Relations",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        join_url="https://meet.jit.si/NIPS-test",
    )
    add_speaker(event, role="moderator", honorific="Brig", retired=True, given_names="Amir", family_name="Yaqub")
    add_speaker(event, role="main_speaker", order=1, honorific="Dr.", given_names="Vladimir", family_name="Kozin")
    return event


def attendee(event, n=1, status=S.CONFIRMED, name=None):
    return Registration.objects.create(
        event=event,
        name=name or f"Attendee {n}",
        email=f"a{n}@example.org",
        organisation="Ministry",
        segment="diplomat",
        status=status,
        status_changed_at=timezone.now(),
    )


# Questions, votes and polls ------------------------------------------------------------------------------


def test_a_question_sent_twice_counts_once(live_event):
    person = attendee(live_event)
    first, created = services.question_ask(registration=person, text="Will trade grow?", client_key="k1")
    again, created_again = services.question_ask(registration=person, text="Will trade grow?", client_key="k1")
    assert created and not created_again and first.pk == again.pk
    assert Question.objects.count() == 1


def test_empty_and_overlong_questions_are_refused_with_a_message(live_event):
    person = attendee(live_event)
    with pytest.raises(ApplicationError, match="Write your question first"):
        services.question_ask(registration=person, text="   ", client_key="k")
    with pytest.raises(ApplicationError, match="under 500 characters \\(it has 501\\)"):
        services.question_ask(registration=person, text="x" * 501, client_key="k")
    assert not Question.objects.exists()


def test_upvote_and_vote_count_once_each(live_event):
    asker, voter = attendee(live_event, 1), attendee(live_event, 2)
    question, _ = services.question_ask(registration=asker, text="On CPEC?", client_key="k")
    services.question_approve(question=question)
    assert services.question_upvote(registration=voter, question=question) is True
    assert services.question_upvote(registration=voter, question=question) is False
    question.refresh_from_db()
    assert question.upvotes == 1
    # Pressed again: the upvote is withdrawn, the count falls and everyone is told the new total.
    assert services.question_upvote_withdraw(registration=voter, question=question) is True
    assert services.question_upvote_withdraw(registration=voter, question=question) is False
    question.refresh_from_db()
    assert question.upvotes == 0
    told = LiveEvent.objects.filter(event=live_event, kind="question_updated").order_by("seq").last()
    assert told.payload["upvotes"] == 0
    assert services.question_upvote(registration=voter, question=question) is True  # and back again
    question.refresh_from_db()
    assert question.upvotes == 1
    poll = services.poll_create(event=live_event, question="Is CPEC on track?", options=["Yes", "No"])
    with pytest.raises(ApplicationError, match="not open"):
        services.poll_vote(registration=voter, poll=poll, option=0)
    services.poll_open(poll=poll)
    assert services.poll_vote(registration=voter, poll=poll, option=1) is True
    assert services.poll_vote(registration=voter, poll=poll, option=0) is False
    with pytest.raises(ApplicationError, match="Choose one of the answers"):
        services.poll_vote(registration=asker, poll=poll, option=7)
    assert list(poll.votes.values_list("option", flat=True)) == [1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_vote_cast_while_the_results_are_being_shown_reaches_the_attendees(live_event, monkeypatch):
    """Real concurrency on PostgreSQL: "show results" is held open mid-way while an attendee votes.
    The attendees' last results must include the vote (without the poll's row lock in poll_vote, the
    vote saw the results hidden and told only the moderators, and attendees kept the old counts)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    voter = attendee(live_event, 1)
    poll = services.poll_create(event=live_event, question="Is CPEC on track?", options=["Yes", "No"])
    services.poll_open(poll=poll)
    showing, voted = threading.Event(), threading.Event()
    emit = services._emit

    def slow_emit(event, message):
        if isinstance(message, PollResults) and message.payload.results_shown and not showing.is_set():
            showing.set()
            voted.wait(timeout=1.5)  # the vote arrives now; with the lock it waits for us to commit
        return emit(event, message)

    monkeypatch.setattr(services, "_emit", slow_emit)

    def show():
        try:
            services.poll_show_results(poll=poll)
        finally:
            connection.close()

    def vote():
        try:
            showing.wait(timeout=10)
            services.poll_vote(registration=voter, poll=poll, option=0)
        finally:
            voted.set()
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(show), pool.submit(vote)]:
            future.result(timeout=30)
    last = LiveEvent.objects.filter(event=live_event, kind="poll_results", audience="all").order_by("seq").last()
    assert last.payload["counts"] == [1, 0]


def test_pending_questions_and_results_stay_with_moderators(live_event):
    asker = attendee(live_event, 1, name="Dr. Secret Asker")
    services.question_ask(registration=asker, text="Pending one", client_key="k")
    poll = services.poll_create(event=live_event, question="Q?", options=["A", "B"])
    services.poll_open(poll=poll)
    services.poll_vote(registration=asker, poll=poll, option=0)
    public = selectors.frames_after(event_id=live_event.pk, seq=0, moderator=False)
    assert not [e for e in public if e.kind in ("question_submitted", "poll_prepared")]
    assert all("counts" not in e.payload for e in public)  # results not shown yet
    moderators = selectors.frames_after(event_id=live_event.pk, seq=0, moderator=True)
    assert any(e.kind == "question_submitted" and e.payload["asker"] == "Dr. Secret Asker" for e in moderators)
    # Numbered without gaps, in order.
    seqs = list(LiveEvent.objects.filter(event=live_event).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_chatham_house_events_never_show_attendee_names(client, live_event):
    Event.objects.filter(pk=live_event.pk).update(attribution=Event.Attribution.CHATHAM_HOUSE)
    live_event.refresh_from_db()
    asker, other = attendee(live_event, 1, name="Ambassador Named Person"), attendee(live_event, 2)
    question, _ = services.question_ask(registration=asker, text="On Afghanistan?", client_key="k")
    services.question_approve(question=question)
    public = selectors.frames_after(event_id=live_event.pk, seq=0, moderator=False)
    assert public and all("Named Person" not in str(e.payload) for e in public)
    page = client.get(reverse("live:page", args=[other.token])).content.decode()
    assert "On Afghanistan?" in page and "Named Person" not in page
    assert "Don&#x27;t show my name" not in page  # nobody is named anyway


def test_hostile_text_is_escaped_on_the_page(client, live_event):
    asker = attendee(live_event)
    question, _ = services.question_ask(registration=asker, text="<script>alert(1)</script>", client_key="k")
    services.question_approve(question=question)
    page = client.get(reverse("live:page", args=[asker.token])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_ask_from_the_page_and_refusals(client, live_event):
    person = attendee(live_event)
    url = reverse("live:ask", args=[person.token])
    response = client.post(url, {"text": "Trade routes?", "key": "abc"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200 and response.json()["status"] == "pending"
    again = client.post(url, {"text": "Trade routes?", "key": "abc"}, HTTP_X_REQUESTED_WITH="fetch")
    assert again.json()["created"] is False
    long = client.post(url, {"text": "y" * 600, "key": "def"}, HTTP_X_REQUESTED_WITH="fetch")
    assert long.status_code == 400 and "under 500 characters" in long.json()["error"]


def test_cancelled_registration_cannot_enter_or_stream(client, live_event):
    person = attendee(live_event, status=S.CANCELLED)
    response = client.get(reverse("live:page", args=[person.token]))
    assert response.status_code == 403 and "was cancelled" in response.content.decode()
    response = client.post(reverse("live:ask", args=[person.token]), {"text": "Hi", "key": "k"})
    assert response.status_code == 403 and not Question.objects.exists()
    assert client.get(reverse("live:page", args=["not-a-token"])).status_code == 404


def test_attendees_cannot_moderate(client, live_event):
    person = attendee(live_event)
    question, _ = services.question_ask(registration=person, text="Mine", client_key="k")
    response = client.post(reverse("live:question", args=[live_event.pk, question.pk, "approve"]))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING
    assert client.get(reverse("live:console", args=[live_event.pk])).status_code == 302


def test_moderator_console_controls_the_session(admin_client, live_event):
    person = attendee(live_event)
    question, _ = services.question_ask(registration=person, text="Typo questoin", client_key="k")
    page = admin_client.get(reverse("live:console", args=[live_event.pk])).content.decode()
    assert "Typo questoin" in page and "Attendee 1" in page
    admin_client.post(reverse("live:question", args=[live_event.pk, question.pk, "edit"]), {"text": "Typo question"})
    admin_client.post(reverse("live:question", args=[live_event.pk, question.pk, "pin"]))
    question.refresh_from_db()
    assert (question.text, question.status, question.pinned) == ("Typo question", "approved", True)
    admin_client.post(reverse("live:control", args=[live_event.pk, "next"]))
    assert LiveSession.objects.get(event=live_event).current.person.family_name == "Yaqub"
    admin_client.post(reverse("live:control", args=[live_event.pk, "next"]))
    assert LiveSession.objects.get(event=live_event).current.person.family_name == "Kozin"
    admin_client.post(reverse("live:control", args=[live_event.pk, "note"]), {"text": "Relations positive"})
    assert live_event.live_notes.get().speaker.person.family_name == "Kozin"
    response = admin_client.post(
        reverse("live:control", args=[live_event.pk, "poll"]),
        {"question": "Q?", "options": "Only one"},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400 and "between two and eight" in response.json()["error"]
    assert not Poll.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda event, user: services.qa_mode_set(event=event, mode=LiveSession.QAMode.OPEN),
        lambda event, user: services.poll_create(event=event, question="Q?", options=["A", "B"]),
        lambda event, user: services.note_add(event=event, author=user, text="A point"),
        lambda event, user: services.agenda_advance(event=event),
    ],
    ids=["qa_mode_set", "poll_create", "note_add", "agenda_advance"],
)
def test_a_write_and_its_live_event_are_one_transaction(live_event, admin_user, monkeypatch, change):
    """If the live event cannot be stored, the change it announces is not stored either: no page can
    miss a change, and no page hears of one that did not happen."""

    def failing_emit(event, message):
        raise RuntimeError("the database went away mid-way")

    before = LiveSession.objects.filter(event=live_event).values_list("qa_mode", "current_id").first()
    monkeypatch.setattr(services, "_emit", failing_emit)
    with pytest.raises(RuntimeError):
        change(live_event, admin_user)
    assert not Poll.objects.exists() and not live_event.live_notes.exists()
    assert LiveSession.objects.filter(event=live_event).values_list("qa_mode", "current_id").first() == before


# Streams against a real server ---------------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own, and this process's hub publishing through it (as podium/asgi.py
    wires it in a server): the services the test calls reach the uvicorn server's streams through Redis."""
    server = RedisServer(tmp_path)
    server.start()
    hub.wire(bridge=RedisBridge(server.url))
    yield server
    hub.wire()
    if server.process.poll() is None:
        server.stop()


@pytest.mark.django_db(transaction=True)
def test_redis_restart_and_server_restart_lose_nothing(live_event, tmp_path, redis_server):
    person = attendee(live_event)
    server = Server(tmp_path, redis_server.url)
    server.start()
    stream_url = f"http://127.0.0.1:{server.port}" + reverse("live:stream", args=[person.token])
    try:
        q1, _ = services.question_ask(registration=person, text="First", client_key="1")
        services.question_approve(question=q1)  # before the page opened: caught up from the database
        reader = Reader(stream_url)
        reader.start()
        assert wait_for(lambda: len(reader.frames) == 1, timeout=10)

        q2, _ = services.question_ask(registration=person, text="Second", client_key="2")
        services.question_approve(question=q2)  # published by this process, through Redis
        assert wait_for(lambda: len(reader.frames) == 2, timeout=10)

        redis_server.stop()  # Redis goes away; an approval now cannot be published
        failed = hub.bridge.failed
        q3, _ = services.question_ask(registration=person, text="Third", client_key="3")
        services.question_approve(question=q3)
        # Three frames (the moderators' question, then the approval for each audience), all given up.
        assert wait_for(lambda: hub.bridge.failed == failed + 3, timeout=10)
        assert len(reader.frames) == 2
        redis_server.start()  # back: the server's subscription reconnects and catches up
        assert wait_for(lambda: len(reader.frames) == 3, timeout=30)
        assert [f["event"] for f in reader.frames] == ["question_approved"] * 3
        assert '"text":"Third"' in reader.frames[2]["data"]

        server.stop()  # the server process restarts; the browser reconnects with its last id
        assert reader.closed.wait(10)
        last = reader.last
        q4, _ = services.question_ask(registration=person, text="Fourth", client_key="4")
        services.question_approve(question=q4)
        server.start()
        again = Reader(f"http://127.0.0.1:{server.port}" + reverse("live:stream", args=[person.token]), last=last)
        again.start()
        assert wait_for(lambda: len(again.frames) == 1, timeout=10)
        assert '"text":"Fourth"' in again.frames[0]["data"]
        ids = reader.ids() + again.ids()
        assert ids == sorted(set(ids))  # nothing twice, in order
    finally:
        if server.process.poll() is None:
            server.stop()


@pytest.mark.django_db
def test_demo_live_now_opens_the_upcoming_webinar_from_the_registration_email(client, settings):
    from django.core.management import call_command

    from podium.mail.models import Message

    settings.SITE_URL = "http://testserver"
    call_command("demo", live_now=True, stdout=io.StringIO())
    confirmation = Message.objects.filter(
        kind="registration_confirmed", event__slug="pakistan-central-asia-connectivity"
    ).first()
    link = re.search(r"http://testserver(/j/[\w-]+/)", confirmation.body_text).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and "Ask a question" in response.content.decode()
    token = link.strip("/").split("/")[1]
    video = client.get(reverse("live:video", args=[token]))
    assert video.status_code == 302 and video["Location"].startswith("https://meet.jit.si/")


# The stream endpoint, attendance and batches -----------------------------------------------------------------


def _open_stream(port: int, path: str, method: str = "GET") -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    return sock, data


@pytest.mark.django_db(transaction=True)
def test_the_stream_endpoint_admits_by_token_and_records_attendance(live_event, tmp_path):
    person, cancelled = attendee(live_event, 1), attendee(live_event, 2, status=S.CANCELLED)
    server = Server(tmp_path, "")
    server.start()
    try:
        for path, method, status in [
            ("/live/not-a-token/stream/", "GET", b" 404 "),
            (f"/live/{cancelled.token}/stream/", "GET", b" 403 "),
            (f"/live/{person.token}/stream/", "POST", b" 405 "),
        ]:
            sock, head = _open_stream(server.port, path, method)
            sock.close()
            assert status in head.split(b"\r\n", 1)[0], (path, head)
        assert not Presence.objects.exists()

        sock, head = _open_stream(server.port, f"/live/{person.token}/stream/")
        assert b" 200 " in head and b"text/event-stream" in head and b"nosniff" in head
        for name, value in SECURITY_HEADERS.items():  # the site's, though Django's middleware never ran
            assert f"{name.lower()}: {value}".encode() in head.lower(), name
        presence = Presence.objects.get()
        assert presence.registration == person and presence.server and presence.disconnected_at is None
        assert wait_for(lambda: selectors.live_counts(event=live_event)["connected"] == 1, timeout=10)
        sock.close()
        assert wait_for(lambda: Presence.objects.filter(disconnected_at__isnull=False).exists(), timeout=10)
        assert selectors.live_counts(event=live_event)["connected"] == 0
    finally:
        server.stop()


@pytest.mark.django_db
def test_connects_are_admitted_in_batches_whose_queries_do_not_grow(live_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podium.live import streams
    from podium.live.admission import LiveRefused

    people = [attendee(live_event, n) for n in range(1, 21)]
    cancelled = attendee(live_event, 99, status=S.CANCELLED)
    question, _ = services.question_ask(registration=people[0], text="First", client_key="1")
    services.question_approve(question=question)

    def item(token, after=0):
        return {"token": token, "speaker": False, "after": after}

    with CaptureQueriesContext(connection) as one:
        streams._connect_all(items=[item(people[0].token)])
    with CaptureQueriesContext(connection) as many:
        results = streams._connect_all(
            items=[item(p.token) for p in people[1:]] + [item("nope"), item(cancelled.token)]
        )
    assert len(many) == len(one)
    *admitted, unknown, refused = results
    assert isinstance(unknown, streams.UnknownLink) and isinstance(refused, LiveRefused)
    assert {a.event_id for a in admitted} == {live_event.pk}
    assert all(b"question_approved" in a.missed[0].data for a in admitted)
    assert Presence.objects.filter(disconnected_at__isnull=True).count() == 20


@pytest.mark.django_db
def test_a_dead_server_s_streams_stop_counting_and_the_sweep_closes_them(live_event):
    a, b = attendee(live_event, 1), attendee(live_event, 2)
    now = timezone.now()
    StreamServer.objects.create(origin="alive", seen_at=now)
    dead = StreamServer.objects.create(origin="dead", seen_at=now - timedelta(minutes=5))
    Presence.objects.create(event=live_event, registration=a, server="alive", connected_at=now - timedelta(hours=1))
    stale = Presence.objects.create(
        event=live_event, registration=b, server="dead", connected_at=now - timedelta(hours=1)
    )
    assert selectors.live_counts(event=live_event)["connected"] == 1  # b's server crashed: not connected now

    assert services.presence_sweep() == 1
    stale.refresh_from_db()
    assert stale.disconnected_at == dead.seen_at  # attendance ends when the server was last known alive
    assert not StreamServer.objects.filter(origin="dead").exists()
    assert Presence.objects.filter(registration=a, disconnected_at__isnull=True).exists()
    assert services.presence_sweep() == 0


@pytest.mark.django_db
def test_the_embedded_room_join_is_personal_and_refused_to_those_not_admitted(client, live_event, settings):
    from podium.video.models import VideoRoom

    person, cancelled = attendee(live_event, 1), attendee(live_event, 2, status=S.CANCELLED)
    room = VideoRoom.objects.create(
        event=live_event,
        engine="jitsi",
        jitsi_server="https://video.nips.example.org",
        room_name="NIPS-Lecture-7",
        jitsi_jwt=True,
        jitsi_jwt_secret="room-secret",
        jitsi_app_id="podium",
    )
    page = client.get(reverse("live:page", args=[person.token]))
    assert "frame-src https://video.nips.example.org" in page["Content-Security-Policy"]
    assert "room-secret" not in page.content.decode()
    join = client.get(reverse("live:video_json", args=[person.token]))
    assert join.status_code == 200 and "no-store" in join["Cache-Control"]
    data = join.json()
    assert data["domain"] == "video.nips.example.org" and data["options"]["roomName"] == "NIPS-Lecture-7"
    assert data["options"]["userInfo"]["displayName"] == "Attendee 1" and data["options"]["jwt"].count(".") == 2
    assert "room-secret" not in join.content.decode()
    assert client.get(reverse("live:video_json", args=[cancelled.token])).status_code == 403

    room.embed = False  # a room that opens in a new tab: no embedding, the page keeps the site's policy
    room.save()
    assert client.get(reverse("live:video_json", args=[person.token])).status_code == 404
    assert "frame-src" not in client.get(reverse("live:page", args=[person.token]))["Content-Security-Policy"]
