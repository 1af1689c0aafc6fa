"""Personal join links: who gets into the room when, and what everyone else is told instead."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event, Participation
from podium.live.admission import JoinOutcome, join_decide
from podium.registrations import services as registration_services
from podium.registrations.models import Registration
from podium.registrations.services import registration_joined

pytestmark = pytest.mark.django_db
S = Registration.Status
ROOM = "https://meet.jit.si/NIPS-test-room"


def register(event, n=1):
    return registration_services.registration_submit(
        event=event, name=f"Guest {n}", email=f"guest{n}@example.org", segment="scholar"
    ).registration


def starting_in(make_event, minutes: float, **fields):
    """An event starting `minutes` from now (negative: already started), one hour long."""
    start = timezone.now() + timedelta(minutes=minutes)
    fields.setdefault("join_url", ROOM)
    return make_event(starts_at=start, ends_at=start + timedelta(hours=1), **fields)


def open_link(client, registration, **kwargs):
    return client.get(reverse("live:join", args=[registration.token]), **kwargs)


def assert_private(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "noindex" in response["X-Robots-Tag"]


# The rules, with frozen times -------------------------------------------------------------


@pytest.fixture
def event_at_noon(make_event):
    start = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=3)
    return make_event(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        join_url=ROOM,
        join_opens_minutes=15,
        tech_check_minutes=30,
        capacity=10,
    )


@pytest.mark.parametrize(
    ("minutes_from_start", "outcome"),
    [
        (-16, JoinOutcome.EARLY),
        (-15, JoinOutcome.ENTER),  # the link opens exactly join_opens_minutes before the start
        (0, JoinOutcome.ENTER),
        (120, JoinOutcome.ENTER),  # until the very end
        (121, JoinOutcome.ENDED),
    ],
)
def test_registrant_window(event_at_noon, minutes_from_start, outcome):
    registration = register(event_at_noon)
    now = event_at_noon.starts_at + timedelta(minutes=minutes_from_start)
    decision = join_decide(event=event_at_noon, registration=registration, now=now)
    assert decision.outcome == outcome
    assert decision.opens_at == event_at_noon.starts_at - timedelta(minutes=15)


@pytest.mark.parametrize(
    ("minutes_from_start", "outcome"),
    [
        (-31, JoinOutcome.EARLY),
        (-30, JoinOutcome.ENTER),  # speakers come in for the technical check
        (-20, JoinOutcome.ENTER),
        (121, JoinOutcome.ENDED),
    ],
)
def test_speaker_window_starts_at_the_technical_check(event_at_noon, add_speaker, minutes_from_start, outcome):
    speaker = add_speaker(event_at_noon)
    now = event_at_noon.starts_at + timedelta(minutes=minutes_from_start)
    assert join_decide(event=event_at_noon, participation=speaker, now=now).outcome == outcome


def test_speakers_never_open_later_than_the_audience(event_at_noon, add_speaker):
    event_at_noon.tech_check_minutes = 5  # shorter than the audience's 15
    speaker = add_speaker(event_at_noon)
    now = event_at_noon.starts_at - timedelta(minutes=10)
    assert join_decide(event=event_at_noon, participation=speaker, now=now).outcome == JoinOutcome.ENTER


@pytest.mark.parametrize("status", [S.PENDING, S.WAITLISTED, S.DECLINED, S.CANCELLED])
def test_only_confirmed_registrations_enter(event_at_noon, status):
    registration = register(event_at_noon)
    Registration.objects.filter(pk=registration.pk).update(status=status)
    registration.refresh_from_db()
    for minutes in (-60, 0, 200):  # before, during and after: never the room
        now = event_at_noon.starts_at + timedelta(minutes=minutes)
        decision = join_decide(event=event_at_noon, registration=registration, now=now)
        assert decision.outcome == JoinOutcome.REFUSED and decision.status == status


def test_declined_speaker_is_refused_and_invited_speaker_may_enter(event_at_noon, add_speaker):
    declined, invited = add_speaker(event_at_noon), add_speaker(event_at_noon)
    Participation.objects.filter(pk=declined.pk).update(confirmation=Participation.Confirmation.DECLINED)
    Participation.objects.filter(pk=invited.pk).update(confirmation=Participation.Confirmation.INVITED)
    declined.refresh_from_db()
    invited.refresh_from_db()
    now = event_at_noon.starts_at
    assert join_decide(event=event_at_noon, participation=declined, now=now).outcome == JoinOutcome.REFUSED
    assert join_decide(event=event_at_noon, participation=invited, now=now).outcome == JoinOutcome.ENTER


def test_no_video_link_yet_and_ended_or_draft_events(event_at_noon):
    registration = register(event_at_noon)
    now = event_at_noon.starts_at
    event_at_noon.join_url = ""
    assert join_decide(event=event_at_noon, registration=registration, now=now).outcome == JoinOutcome.NO_ROOM
    event_at_noon.join_url = ROOM
    event_at_noon.status = Event.Status.ENDED  # staff closed it early
    assert join_decide(event=event_at_noon, registration=registration, now=now).outcome == JoinOutcome.ENDED
    event_at_noon.status = Event.Status.DRAFT
    assert join_decide(event=event_at_noon, registration=registration, now=now).outcome == JoinOutcome.REFUSED


def test_joined_at_is_recorded_once(event_at_noon):
    registration = register(event_at_noon)
    first = event_at_noon.starts_at
    assert registration_joined(registration=registration, now=first) is True
    assert registration_joined(registration=registration, now=first + timedelta(minutes=5)) is False
    registration.refresh_from_db()
    assert registration.joined_at == first


# The view --------------------------------------------------------------------------------------


def test_confirmed_registrant_in_the_window_is_sent_to_the_live_page_and_recorded(client, make_event):
    event = starting_in(make_event, 10)  # opened 5 minutes ago
    registration = register(event)
    response = open_link(client, registration)
    live = reverse("live:page", args=[registration.token])
    assert response.status_code == 302 and response["Location"] == live
    assert_private(response)
    registration.refresh_from_db()
    joined = registration.joined_at
    assert joined is not None and abs(joined - timezone.now()) < timedelta(minutes=1)
    again = open_link(client, registration)  # a second tab, later: the same, same first time
    assert again["Location"] == live
    room = client.get(reverse("live:video", args=[registration.token]))  # the video, from the live page
    assert room.status_code == 302 and room["Location"] == ROOM
    registration.refresh_from_db()
    assert registration.joined_at == joined


def test_before_the_window_the_page_says_when_it_opens_in_the_event_zone(client, make_event):
    event = starting_in(make_event, 120, time_zone="Asia/Karachi", join_opens_minutes=15)
    registration = register(event)
    response = open_link(client, registration)
    html = response.content.decode()
    assert response.status_code == 200
    assert_private(response)
    opens = (event.starts_at - timedelta(minutes=15)).astimezone(event.zone)
    assert f"Your link opens at {opens:%H:%M}" in html
    assert "PKT (UTC+05:00)" in html and "15 minutes before the start" in html
    assert 'data-local-start="' in html  # the visitor's own zone, by the page's script
    assert ROOM not in html
    registration.refresh_from_db()
    assert registration.joined_at is None


def test_after_the_end_the_page_says_it_has_ended(client, make_event):
    event = starting_in(make_event, -120)  # ended an hour ago
    registration = Registration.objects.create(  # registration is closed by now: made directly
        event=event,
        name="Late",
        email="late@example.org",
        segment="other",
        status=S.CONFIRMED,
        status_changed_at=timezone.now() - timedelta(days=1),
    )
    response = open_link(client, registration)
    assert response.status_code == 410
    assert "This event has ended" in response.content.decode()
    assert ROOM not in response.content.decode()
    registration.refresh_from_db()
    assert registration.joined_at is None


def test_without_a_video_link_the_live_page_still_opens(client, make_event):
    event = starting_in(make_event, 5, join_url="")
    registration = register(event)
    response = open_link(client, registration, follow=True)
    assert response.status_code == 200
    assert "Ask a question" in response.content.decode()
    room = client.get(reverse("live:video", args=[registration.token]), follow=True)
    assert "The video room is not open yet" in room.content.decode()


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (S.PENDING, "waiting for approval"),
        (S.WAITLISTED, "on the waiting list"),
        (S.CANCELLED, "was cancelled"),
        (S.DECLINED, "not accepted"),
    ],
)
def test_not_admitted_registrations_get_a_clear_page_never_the_room(client, make_event, status, says):
    event = starting_in(make_event, 5)
    registration = register(event)
    Registration.objects.filter(pk=registration.pk).update(status=status)
    response = open_link(client, registration)
    assert response.status_code == 403
    assert "Location" not in response
    html = response.content.decode()
    assert says in html and ROOM not in html
    assert_private(response)
    registration.refresh_from_db()
    assert registration.joined_at is None


def test_unknown_tokens_are_404_for_registrants_and_speakers(client):
    for name in ("live:join", "live:speaker_join"):
        response = client.get(reverse(name, args=["not-a-real-token"]))
        assert response.status_code == 404
        assert "could not find this link" in response.content.decode()
        assert_private(response)


def test_speaker_link_opens_at_the_technical_check_while_the_audience_waits(client, make_event, add_speaker):
    event = starting_in(make_event, 25, join_opens_minutes=15, tech_check_minutes=30)
    speaker = add_speaker(event, time_zone="Europe/Moscow")
    registration = register(event)
    assert open_link(client, registration).status_code == 200  # the audience: not yet
    response = client.get(reverse("live:speaker_join", args=[speaker.token]))
    assert response.status_code == 302 and response["Location"] == reverse("live:speaker_page", args=[speaker.token])
    assert_private(response)
    page = client.get(response["Location"]).content.decode()  # the green room: no asking, the video button
    assert "Speaker · Discussant" in page and "Ask a question" not in page
    room = client.get(reverse("live:speaker_video", args=[speaker.token]))
    assert room.status_code == 302 and room["Location"] == ROOM


def test_speaker_link_before_the_check_shows_their_own_zone(client, make_event, add_speaker):
    event = starting_in(make_event, 240, time_zone="Asia/Karachi", tech_check_minutes=30)
    speaker = add_speaker(event, time_zone="Europe/Moscow")
    html = client.get(reverse("live:speaker_join", args=[speaker.token])).content.decode()
    check = event.starts_at - timedelta(minutes=30)
    assert f"{check.astimezone(event.zone):%H:%M}" in html and "PKT (UTC+05:00)" in html
    assert f"{check.astimezone(speaker.person.zone):%H:%M} MSK (UTC+03:00) in Europe/Moscow" in html
    assert "technical check" in html


def test_declined_speaker_is_not_let_in(client, make_event, add_speaker):
    event = starting_in(make_event, 5)
    speaker = add_speaker(event)
    Participation.objects.filter(pk=speaker.pk).update(confirmation=Participation.Confirmation.DECLINED)
    response = client.get(reverse("live:speaker_join", args=[speaker.token]))
    assert response.status_code == 403 and "You declined" in response.content.decode()


def test_join_link_accepts_only_get(client, make_event):
    event = starting_in(make_event, 5)
    response = client.post(reverse("live:join", args=[register(event).token]))
    assert response.status_code == 405


def test_the_confirmation_email_carries_the_personal_join_link(make_event, deliver):
    from podium.registrations.services import registration_submit

    event = make_event(join_url=ROOM)
    registration = registration_submit(
        event=event, name="Guest", email="guest@example.org", segment="diplomat"
    ).registration
    [message] = deliver()
    link = "http://testserver" + reverse("live:join", args=[registration.token])
    assert link in message.body and "opens 15 minutes before the start" in message.body
