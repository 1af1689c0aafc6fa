"""An event whose live session a moderator ended is over for staff: the overview, the dashboard and the
workspace header say so and point to the transcript and the press release, without a query per event."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Event
from podium.live import services as live_services
from podium.staff import selectors
from podium.staff.selectors import Stage

pytestmark = pytest.mark.django_db


def on_air(make_event, **fields):
    start = timezone.now() - timedelta(minutes=30)
    return make_event(starts_at=start, ends_at=start + timedelta(hours=2), **fields)


def badge(html: str) -> str:
    return re.search(r'<p class="workspace-status"><span class="badge badge-event-(\w+)">([^<]+)</span>', html).groups()


@pytest.mark.parametrize("status", [Event.Status.ANNOUNCED, Event.Status.LIVE])
def test_ending_the_session_ends_the_event_on_the_overview(admin_client, make_event, status):
    event = on_air(make_event, status=status)
    url = reverse("staff:event", args=[event.pk])
    html = admin_client.get(url).content.decode()
    assert "live now: open the console" in html
    assert badge(html)[1] == event.get_status_display()

    live_services.session_end(event=event)
    loaded = selectors.event_in_progress_get(pk=event.pk)
    assert selectors.event_stage(loaded) == Stage.ENDED
    assert [a.text for a in selectors.event_next_actions(loaded)] == [
        "no transcript imported",
        "press release not drafted",
    ]
    html = admin_client.get(url).content.decode()
    assert "Live now" not in html and "live now: open the console" not in html
    assert "Ended, press release to do" in html
    assert badge(html) == ("ended", "Ended")
    # every tab of the workspace has the same header
    assert badge(admin_client.get(reverse("staff:registrations", args=[event.pk])).content.decode()) == (
        "ended",
        "Ended",
    )


def test_the_dashboard_lists_an_ended_session_under_ended_with_constant_queries(
    admin_client, make_event, django_assert_num_queries
):
    url = reverse("staff:dashboard")
    first = on_air(make_event, title="First")
    live_services.session_end(event=first)
    on_air(make_event, title="Still on")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as captured:
        admin_client.get(url)
    for n in range(5):
        live_services.session_end(event=on_air(make_event, title=f"Ended {n}"))
        on_air(make_event, title=f"On {n}")
    with django_assert_num_queries(len(captured.captured_queries)):
        html = admin_client.get(url).content.decode()
    sections = {s.stage: [row.event.title for row in s.rows] for s in selectors.dashboard_sections()}
    assert "First" in sections[Stage.ENDED] and "First" not in sections[Stage.LIVE]
    assert sorted(sections[Stage.LIVE]) == sorted(["Still on"] + [f"On {n}" for n in range(5)])
    assert html.count("live now: open the console") == 6
    assert html.count("press release not drafted") == 6


def test_the_console_says_once_that_the_session_has_ended_and_asks_one_confirmation(admin_client, make_event):
    event = on_air(make_event)
    html = admin_client.get(reverse("live:console", args=[event.pk])).content.decode()
    assert "data-confirm" not in html  # the ticked box is the one confirmation
    assert 'name="confirm" required' in html
    live_services.session_end(event=event)
    html = admin_client.get(reverse("live:console", args=[event.pk])).content.decode()
    shown = re.sub(r"<[^>]+ hidden>.*?</(p|section)>", "", html, flags=re.S)
    assert shown.count("The session has ended") == 1
