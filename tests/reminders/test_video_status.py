"""The reminders tab says whether join links lead into a video room by asking what the join page asks
(podium.video.selectors), so an event on the Jitsi engine is not called "no video link yet"."""

import pytest
from django.urls import reverse

from podium.video.models import VideoRoom
from podium.video.selectors import video_available

pytestmark = pytest.mark.django_db


def reminders_page(client, event) -> str:
    response = client.get(reverse("reminders:event", args=[event.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_event_on_the_jitsi_engine_has_a_video_room_without_a_link(admin_client, make_event):
    event = make_event(join_url="")
    VideoRoom.objects.create(event=event, engine=VideoRoom.Engine.JITSI)
    assert video_available(event=event)
    html = reminders_page(admin_client, event)
    assert "No video" not in html
    assert "Video room: Jitsi Meet; each person's join link takes them in." in html


def test_without_a_room_or_a_link_the_waiting_page_is_announced(admin_client, make_event):
    event = make_event(join_url="")
    assert not video_available(event=event)
    assert "<strong>No video room yet:</strong> join links show a waiting page" in reminders_page(admin_client, event)


def test_an_event_with_a_video_link_shows_it(admin_client, make_event):
    event = make_event(join_url="https://zoom.example.org/j/123")
    html = reminders_page(admin_client, event)
    assert 'Video link: <a href="https://zoom.example.org/j/123"' in html and "No video" not in html
