"""A confirmed speaker's own time zone and logistics stay private (issue 13, item 7): their briefing
note, their zone, their email and personal link, and the event's video link appear on no public page:
not the event page or its JSON-LD, the speaker page, the search results, the lists or the calendar file."""

from dataclasses import asdict

import pytest
from django.urls import reverse

from podium.core.selectors import organisation_get
from podium.events.models import Role
from podium.events.services import speaker_join_link, speaker_link
from podium.public.share import share_card

pytestmark = pytest.mark.django_db

PRIVATE = (
    "Europe/Moscow",  # where the speaker joins from
    "MSK",  # and its abbreviation, as a time written for them would carry it
    "Car from the Serena at 09:40",  # the briefing note: logistics for the speaker only
    "kozin.private@example.org",  # the speaker's address
    "https://zoom.example/j/secret-room",  # the event's video link
)


@pytest.fixture
def speaker(organisation, make_event, add_speaker):
    event = make_event(title="Arms Control after New START", slug="arms-control", join_url=PRIVATE[4])
    participation = add_speaker(
        event,
        Role.MAIN_SPEAKER,
        given_names="Vladimir",
        family_name="Kozinov",
        time_zone="Europe/Moscow",
        email=PRIVATE[3],
        designations=[("Leading Expert", "MGIMO", True)],
    )
    participation.briefing_note = PRIVATE[2]
    participation.starts_at = event.starts_at
    participation.save()
    return participation


def pages(client, participation) -> dict[str, str]:
    event, person = participation.event, participation.person
    urls = {
        "event page": reverse("public:event", args=[event.slug]),
        "speaker page": reverse("public:person", args=[person.slug]),
        "search": reverse("search:results") + "?q=Kozinov",
        "series page": reverse("public:series", args=[event.series.slug]),
        "home": reverse("public:home"),
        "calendar file": reverse("public:ics", args=[event.slug]),
    }
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = response.content.decode()
    return found


def test_a_confirmed_speakers_zone_and_logistics_are_on_no_public_page(client, speaker):
    found = pages(client, speaker)
    assert "Kozinov" in found["event page"] and "Kozinov" in found["speaker page"] and "Kozinov" in found["search"]
    token = speaker.token
    found["share image"] = repr(asdict(share_card(event=speaker.event, organisation=organisation_get())))
    for name, html in found.items():
        for secret in (*PRIVATE, token, speaker_link(speaker), speaker_join_link(speaker)):
            assert secret not in html, f"{secret!r} on the {name}"


def test_the_event_page_gives_the_speakers_slot_in_the_events_zone_only(client, speaker):
    html = client.get(reverse("public:event", args=[speaker.event.slug])).content.decode()
    assert "PKT (UTC+05:00)" in html
    assert "for the speaker" not in html and "Joining from" not in html
