"""Hostile input on every live action: letters, 30-digit numbers and NUL bytes where ids and texts go get a
readable refusal (400 with a message for the page's script, the message on the page without it) or a
404 for an id in the path, never a 500, and nothing is saved. Run on PostgreSQL too, where a NUL byte
or an id beyond bigint reaches the database as an error if nothing stops it first."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from podium.live import services, streams
from podium.live.models import LiveEvent, LiveSession, Note, Poll, PollVote, Question, Upvote
from podium.live.views import CONTROLS as LIVE_CONTROLS
from podium.live.views import QUESTION_ACTIONS
from podium.registrations.models import Registration

HUGE = "1" * 30
NUL = "\x00"
BAD_IDS = ["abc", HUGE, NUL, "-1", "1.5", "²", "1\x00"]
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def live(make_event, add_speaker):
    """A live event with a speaker, an approved question, a pending one and an open poll; an attendee."""
    start = timezone.now() - timedelta(minutes=10)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), join_url="https://meet.jit.si/x")
    speaker = add_speaker(event, role="main_speaker", family_name="Kozin")
    asker = Registration.objects.create(
        event=event,
        name="Attendee",
        email="a@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )
    question, _ = services.question_ask(registration=asker, text="On the board", client_key="1")
    services.question_approve(question=question)
    pending, _ = services.question_ask(registration=asker, text="Waiting", client_key="2")
    poll = services.poll_create(event=event, question="On track?", options=["Yes", "No"])
    services.poll_open(poll=poll)
    return {"event": event, "speaker": speaker, "asker": asker, "question": question, "pending": pending, "poll": poll}


def saved() -> tuple:
    """Everything an action could have written."""
    session = LiveSession.objects.values_list("qa_mode", "current_id", "last_seq").first()
    polls = tuple(Poll.objects.order_by("pk").values_list("status", "results_shown"))
    questions = tuple(Question.objects.order_by("pk").values_list("text", "status", "pinned"))
    counts = tuple(model.objects.count() for model in (LiveEvent, Note, Poll, PollVote, Question, Upvote))
    return session, polls, questions, counts


def refused(client, url: str, data: dict, message: str) -> None:
    """The action is refused with `message`, as JSON for the page's script and on the page without it;
    nothing is saved either way."""
    before = saved()
    response = client.post(url, data, **FETCH)
    assert response.status_code == 400, (url, data, response.status_code)
    assert message in response.json()["error"], (data, response.json())
    response = client.post(url, data)
    assert response.status_code == 302, (url, data, response.status_code)
    assert any(message in str(m) for m in get_messages(response.wsgi_request)), data
    assert saved() == before, data


def not_found(client, url: str, data: dict | None = None) -> None:
    before = saved()
    for extra in (FETCH, {}):
        response = client.post(url, data or {}, **extra)
        assert response.status_code == 404, (url, response.status_code)
    assert saved() == before


# Attendees: ask, upvote, vote ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ask_refuses_a_speaker_id_that_is_not_one_and_a_nul_byte(client, live):
    url = reverse("live:ask", args=[live["asker"].token])
    for to in BAD_IDS:
        refused(client, url, {"text": "To whom?", "key": "k9", "to": to}, "Choose a speaker of this event.")
    for field in ("text", "key"):
        data = {"text": "Trade routes?", "key": "k9", field: f"a{NUL}b"}
        refused(client, url, data, "has a character that cannot be saved")


@pytest.mark.django_db
def test_ask_still_takes_a_speaker_and_the_question(client, live):
    url = reverse("live:ask", args=[live["asker"].token])
    data = {"text": "To you", "key": "k9", "to": str(live["speaker"].pk), "anonymous": "on"}
    response = client.post(url, data, **FETCH)
    assert response.status_code == 200 and response.json()["status"] == "pending"
    question = Question.objects.get(client_key="k9")
    assert question.addressed_to == live["speaker"] and question.anonymous


@pytest.mark.django_db
def test_upvote_and_vote_answer_404_for_an_id_in_the_path_that_is_not_one(client, live):
    token = live["asker"].token
    for pk in ("abc", HUGE):
        not_found(client, f"/live/{token}/questions/{pk}/upvote/")
        not_found(client, f"/live/{token}/polls/{pk}/vote/", {"option": "0"})


@pytest.mark.django_db
def test_vote_refuses_an_answer_that_is_not_one(client, live):
    url = reverse("live:vote", args=[live["asker"].token, live["poll"].pk])
    for option in ("abc", HUGE, NUL, "-1", "1.5", "²", "2", ""):
        refused(client, url, {"option": option}, "Choose one of the answers.")


@pytest.mark.django_db
def test_a_token_with_a_nul_byte_is_no_link(client, live):
    for name in ("live:ask", "live:page"):
        url = reverse(name, args=["tok"]).replace("tok", "tok%00en")
        assert client.post(url, {"text": "Hi", "key": "k"}).status_code == 404
    assert client.get(reverse("live:page", args=["tok"]).replace("tok", "%00")).status_code == 404


# Moderators: question actions and controls ----------------------------------------------------------------------


@pytest.mark.django_db
def test_question_actions_answer_404_for_an_id_that_is_not_one(admin_client, live):
    event = live["event"].pk
    for action in QUESTION_ACTIONS:
        for pk in ("abc", HUGE):
            not_found(admin_client, f"/staff/live/{event}/questions/{pk}/{action}/", {"text": "x"})
        not_found(admin_client, f"/staff/live/{HUGE}/questions/{live['question'].pk}/{action}/", {"text": "x"})


@pytest.mark.django_db
def test_editing_a_question_refuses_a_nul_byte(admin_client, live):
    url = reverse("live:question", args=[live["event"].pk, live["pending"].pk, "edit"])
    refused(admin_client, url, {"text": f"Fixed{NUL}"}, "has a character that cannot be saved")


UNSAVABLE = "has a character that cannot be saved"
POLL_REFUSALS = [({"poll": bad}, "This poll is not one of this event's.") for bad in BAD_IDS] + [({}, "Choose a poll.")]
CONTROLS = {
    "speaker": [({"participation": bad}, "Choose someone on this event's agenda.") for bad in BAD_IDS],
    "mode": [({"mode": bad}, "Unknown Q&A mode.") for bad in ("abc", NUL, f"open{NUL}", HUGE, "")],
    "announce": [({"text": f"Break{NUL}"}, UNSAVABLE)],
    "poll": [
        ({"question": f"Q{NUL}?", "options": "A\nB"}, UNSAVABLE),
        ({"question": "Q?", "options": f"A{NUL}\nB"}, UNSAVABLE),
    ],
    "poll-open": POLL_REFUSALS,
    "poll-close": POLL_REFUSALS,
    "poll-show": POLL_REFUSALS,
    "poll-hide": POLL_REFUSALS,
    "note": [({"text": f"Point{NUL}"}, UNSAVABLE)],
    # Ending needs the box ticked: anything else is refused and the session goes on.
    "end": [({"confirm": bad}, "Tick the box to confirm") for bad in ("", "false", "0", NUL, f"on{NUL}", HUGE)]
    + [({}, "Tick the box")],
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(CONTROLS))
def test_controls_refuse_input_that_is_not_an_id_or_a_text(admin_client, live, action):
    url = reverse("live:control", args=[live["event"].pk, action])
    for data, message in CONTROLS[action]:
        refused(admin_client, url, data, message)
    not_found(admin_client, f"/staff/live/{HUGE}/control/{action}/", {"text": "x", "poll": live["poll"].pk})


@pytest.mark.django_db
def test_every_control_is_checked_here(admin_client, live):
    assert set(LIVE_CONTROLS) - set(CONTROLS) == {"next"}  # no input but the event, tried below
    not_found(admin_client, f"/staff/live/{HUGE}/control/next/")


@pytest.mark.django_db
def test_the_console_pages_answer_404_for_an_event_id_that_is_not_one(admin_client, live):
    for path in (f"/staff/live/{HUGE}/", f"/staff/live/{HUGE}/counts.json", f"/staff/live/{HUGE}/stream/"):
        assert admin_client.get(path).status_code == 404, path


@pytest.mark.django_db
def test_controls_still_take_good_input(admin_client, live):
    event, poll = live["event"], live["poll"]

    def url(action):
        return reverse("live:control", args=[event.pk, action])

    assert admin_client.post(url("speaker"), {"participation": str(live["speaker"].pk)}, **FETCH).json() == {"ok": True}
    assert LiveSession.objects.get().current == live["speaker"]
    admin_client.post(url("speaker"), {"participation": ""}, **FETCH)  # nobody speaking
    assert LiveSession.objects.get().current is None
    admin_client.post(url("mode"), {"mode": "open"}, **FETCH)
    assert LiveSession.objects.get().qa_mode == LiveSession.QAMode.OPEN
    admin_client.post(url("poll-show"), {"poll": str(poll.pk)}, **FETCH)
    poll.refresh_from_db()
    assert poll.results_shown
    admin_client.post(url("poll"), {"question": "Next?", "options": "A\r\nB\r\n"}, **FETCH)
    assert Poll.objects.get(question="Next?").options == ["A", "B"]


def test_a_last_event_id_that_is_not_a_number_starts_from_zero():
    assert [streams.last_seen(v) for v in ("12", b"12", "²", HUGE, "-3", "", b"\xff")] == [12, 12, 0, 0, 0, 0, 0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_on_postgresql_a_nul_byte_would_reach_the_database_as_an_error(live):
    """Why the forms matter: PostgreSQL refuses NUL bytes in text, so without them these inputs answered 500."""
    from django.db import DataError, transaction

    with pytest.raises(DataError), transaction.atomic():
        Note.objects.create(event=live["event"], text=f"a{NUL}b")
