"""The attendee's own state survives a reload (their upvotes, their vote, their questions and where each
stands), nobody upvotes their own question, the console offers only the poll actions that fit, labels
anonymous questions and stamps notes in the event's time zone, a moderator can end the session, and the
home page shows an event on now as "Live now"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event
from podium.live import services
from podium.live.models import LiveEvent, LiveSession, Poll, PollVote, Question, Upvote
from podium.registrations.models import Registration

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def person(event, n, name=None):
    return Registration.objects.create(
        event=event,
        name=name or f"Attendee {n}",
        email=f"a{n}@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )


@pytest.fixture
def live(make_event, add_speaker):
    start = timezone.now() - timedelta(minutes=10)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2), join_url="https://meet.jit.si/x")
    add_speaker(event, role="main_speaker", family_name="Kozin")
    asker, other = person(event, 1, "Amina Asker"), person(event, 2, "Omar Other")
    theirs, _ = services.question_ask(registration=other, text="Trade through Gwadar?", client_key="1")
    services.question_approve(question=theirs)
    mine, _ = services.question_ask(registration=asker, text="My own question", client_key="2", anonymous=True)
    services.question_approve(question=mine)
    services.question_ask(registration=asker, text="Still waiting", client_key="3")
    dropped, _ = services.question_ask(registration=asker, text="Off topic", client_key="4")
    services.question_dismiss(question=dropped)
    poll = services.poll_create(event=event, question="On track?", options=["Yes", "No"])
    services.poll_open(poll=poll)
    return {"event": event, "asker": asker, "other": other, "theirs": theirs, "mine": mine, "poll": poll}


def li_of(html: str, question: Question) -> str:
    start = html.index(f'data-question="{question.pk}"')
    return html[start : html.index("</li>", start)]


@pytest.mark.django_db
def test_nobody_upvotes_their_own_question_and_the_page_offers_no_button(client, live):
    url = reverse("live:upvote", args=[live["asker"].token, live["mine"].pk])
    response = client.post(url, **FETCH)
    assert response.status_code == 400
    assert response.json()["error"] == "This is your own question: others can upvote it."
    assert not Upvote.objects.exists()
    html = client.get(reverse("live:page", args=[live["asker"].token])).content.decode()
    own = li_of(html, live["mine"])
    assert "Your question" in own and 'class="inline upvote-form" hidden' in own
    assert 'class="inline upvote-form">' in li_of(html, live["theirs"])


@pytest.mark.django_db
def test_a_reload_keeps_the_attendees_upvote_vote_and_questions(client, live):
    token = live["asker"].token
    assert client.post(reverse("live:upvote", args=[token, live["theirs"].pk]), **FETCH).json()["counted"]
    client.post(reverse("live:vote", args=[token, live["poll"].pk]), {"option": "1"}, **FETCH)
    html = client.get(reverse("live:page", args=[token])).content.decode()
    theirs = li_of(html, live["theirs"])
    assert 'aria-pressed="true"' in theirs and "▲ Upvoted" in theirs
    assert "1 upvote<" in theirs  # the count, read as words
    assert 'aria-label="Upvote, question from Omar Other"' in theirs
    assert "Your vote is recorded: <strong data-voted-answer>No</strong>" in html
    assert 'class="poll-form" hidden' in html
    mine = html[html.index('id="my-questions"') : html.index('id="no-mine"')]
    for text, status in [
        ("Off topic", "Not taken up"),
        ("Still waiting", "Waiting for approval"),
        ("My own question", "On the board"),
    ]:
        assert text in mine and status in mine
    assert mine.index("Off topic") < mine.index("My own question")  # newest first
    assert "(asked anonymously)" in mine
    # Another attendee's page knows none of it.
    other = client.get(reverse("live:page", args=[live["other"].token])).content.decode()
    assert "Your vote is recorded: <strong data-voted-answer></strong>" in other and "Still waiting" not in other


@pytest.mark.django_db
def test_the_console_labels_anonymous_questions_offers_fitting_poll_actions_and_stamps_notes(admin_client, live):
    event = live["event"]
    services.poll_create(event=event, question="Draft?", options=["A", "B"])
    services.note_add(event=event, author=None, text="A point")
    html = admin_client.get(reverse("live:console", args=[event.pk])).content.decode()
    mine = li_of(html, live["mine"])
    assert "Amina Asker" in mine and "Anonymous: name hidden from the audience</span>" in mine
    assert "<span data-hidden-part hidden>" in li_of(html, live["theirs"])
    assert 'aria-label="Approve, question from Amina Asker"' in mine
    assert 'aria-label="Set Kozin as speaking"' in html
    fitting = {}
    for poll in Poll.objects.filter(event=event):
        start = html.index(f'data-poll="{poll.pk}"')
        box = html[start : html.find('<div class="poll"', start)]
        fitting[poll.question] = [
            action
            for action in ("poll-open", "poll-close", "poll-show", "poll-hide")
            if f'data-poll-action="{action}" class="inline">' in box
        ]
    assert fitting == {"On track?": ["poll-close", "poll-show"], "Draft?": ["poll-open"]}
    assert "PKT (UTC+05:00)" in html[html.index('id="notes"') :]
    note = LiveEvent.objects.filter(kind="note_added").last()
    assert note.payload["time"].endswith("PKT (UTC+05:00)")
    # Under the Chatham House Rule nobody is named to the audience: the console says so on every question.
    Event.objects.filter(pk=event.pk).update(attribution=Event.Attribution.CHATHAM_HOUSE)
    html = admin_client.get(reverse("live:console", args=[event.pk])).content.decode()
    assert "Omar Other" in li_of(html, live["theirs"])
    assert "data-hidden-label>Name hidden from the audience</span>" in li_of(html, live["theirs"])


@pytest.mark.django_db
def test_a_moderator_ends_the_session_and_attendees_are_told_and_refused(admin_client, client, live):
    event, token = live["event"], live["asker"].token
    services.question_pin(question=live["theirs"])  # being answered when the moderator ends
    url = reverse("live:control", args=[event.pk, "end"])
    assert admin_client.post(url, {"confirm": "on"}, **FETCH).json() == {"ok": True}
    session = LiveSession.objects.get(event=event)
    assert session.has_ended and session.now_answering is None
    assert not Question.objects.get(pk=live["theirs"].pk).pinned
    assert Poll.objects.get(pk=live["poll"].pk).status == Poll.Status.CLOSED
    assert LiveEvent.objects.filter(event=event).last().kind == "session_ended"
    again = admin_client.post(url, {"confirm": "on"}, **FETCH)
    assert again.status_code == 409 and again.json()["error"] == "The session has already ended."
    Poll.objects.filter(pk=live["poll"].pk).update(status=Poll.Status.OPEN)  # even so, no vote now
    for action, data in [
        (reverse("live:ask", args=[token]), {"text": "Late?", "key": "late"}),
        (reverse("live:upvote", args=[token, live["theirs"].pk]), {}),
        (reverse("live:vote", args=[token, live["poll"].pk]), {"option": "0"}),
    ]:
        response = client.post(action, data, **FETCH)
        assert response.status_code == 409 and "The session has ended" in response.json()["error"], action
    assert not Upvote.objects.exists() and not PollVote.objects.exists()
    assert not Question.objects.filter(text="Late?").exists()
    html = client.get(reverse("live:page", args=[token])).content.decode()
    assert 'id="session-ended">' in html and 'class="form ask-form" data-live-form data-reset hidden' in html


@pytest.mark.django_db
def test_the_home_page_shows_an_event_on_now_as_live_now_not_upcoming(client, make_event, organisation):
    start = timezone.now() - timedelta(minutes=10)
    on_now = make_event(title="On right now", starts_at=start, ends_at=start + timedelta(hours=2))
    ended_early = make_event(title="Ended early", starts_at=start, ends_at=start + timedelta(hours=2))
    make_event(title="Next week")
    services.session_end(event=ended_early)
    html = client.get("/").content.decode()
    live_now = html[html.index('id="live-now"') : html.index('id="upcoming"')]
    upcoming = html[html.index('id="upcoming"') : html.index('id="past"')]
    assert "Live now" in live_now and "On right now" in live_now and "Next week" not in live_now
    assert "Next week" in upcoming and "On right now" not in upcoming
    # Ended early by the moderator: past, not lost between "live now" and "past".
    past = html[html.index('id="past"') :]
    assert "Ended early" in past and "Ended early" not in live_now and "Ended early" not in upcoming
    series = client.get(reverse("public:series", args=[ended_early.series.slug])).content.decode()
    assert series.index("Ended early") > series.index('id="past-heading"')
    Event.objects.filter(pk=on_now.pk).update(status=Event.Status.ENDED)
    html = client.get("/").content.decode()
    # Marked ended by staff before its scheduled end: past as well.
    assert 'id="live-now"' not in html and "On right now" in html[html.index('id="past"') :]
    Event.objects.filter(title="Next week").update(status=Event.Status.ENDED)
    html = client.get("/").content.decode()
    assert "Next week" in html[html.index('id="past"') :] and "Next week" not in html[: html.index('id="past"')]


@pytest.mark.django_db
def test_pressing_upvote_again_withdraws_it_and_the_button_says_so(client, live):
    token, url = live["asker"].token, reverse("live:upvote", args=[live["asker"].token, live["theirs"].pk])
    answer = client.post(url, {"withdraw": ""}, **FETCH).json()
    assert answer["counted"] and answer["upvoted"] is True
    theirs = li_of(client.get(reverse("live:page", args=[token])).content.decode(), live["theirs"])
    # The next press asks to withdraw: the form carries it, the button reads as pressed.
    assert 'name="withdraw" value="on"' in theirs and 'aria-pressed="true"' in theirs

    answer = client.post(url, {"withdraw": "on"}, **FETCH).json()
    assert answer == {"counted": False, "upvoted": False, "message": "Your upvote is withdrawn."}
    assert not Upvote.objects.exists()
    live["theirs"].refresh_from_db()
    assert live["theirs"].upvotes == 0
    update = LiveEvent.objects.filter(event=live["event"], kind="question_updated").order_by("seq").last()
    assert update.audience == "all" and update.payload["id"] == live["theirs"].pk and update.payload["upvotes"] == 0
    theirs = li_of(client.get(reverse("live:page", args=[token])).content.decode(), live["theirs"])
    assert 'name="withdraw" value=""' in theirs and 'aria-pressed="false"' in theirs and "▲ Upvote<" in theirs
    # Withdrawn twice (a retried request): nothing changes, and no second event is sent.
    seq = update.seq
    assert client.post(url, {"withdraw": "on"}, **FETCH).json()["message"] == "You had not upvoted this question."
    assert not LiveEvent.objects.filter(event=live["event"], seq__gt=seq).exists()
    # Without script, the same form: back to the page with a message.
    client.post(url)
    response = client.post(url, {"withdraw": "on"}, follow=True)
    assert "Your upvote is withdrawn." in response.content.decode()
