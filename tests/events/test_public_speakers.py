"""Only confirmed participants are public (issue 12, item 10): an invited speaker who has not answered
is on no public page, in no JSON-LD, search result or email to the audience, and has no speaker page;
staff still see them with their status. Pages are fetched from a real server."""

import json
import re
from datetime import timedelta

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Participation, Role
from podium.events.selectors import agenda_groups, event_get
from podium.events.services import participation_respond
from podium.live.forms import AskForm
from podium.live.selectors import live_page_state

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agenda(organisation, make_event, add_speaker, make_person):
    event = make_event(title="Water Security in the Indus Basin", slug="indus-water")
    confirmed = add_speaker(event, Role.MODERATOR, given_names="Amir", family_name="Yaqubzai")
    person = make_person(given_names="Nadia", family_name="Quraishova", email="nq@example.org")
    invited = Participation.objects.create(
        event=event, person=person, role=Role.MAIN_SPEAKER, order=1, confirmation=Participation.Confirmation.INVITED
    )
    return event, confirmed, invited


def performers(html: str) -> list[str]:
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    return [p["name"] for p in data["performer"]]


def test_an_invited_speaker_is_on_no_public_page_until_they_accept(live_server, agenda):
    event, confirmed, invited = agenda
    site = live_server.url
    with httpx.Client(base_url=site, timeout=20) as client:
        page = client.get(f"/events/{event.slug}/").text
        assert "Yaqubzai" in page and "Quraishova" not in page
        assert performers(page) == ["Amir Yaqubzai"]
        for public in ("/", f"/series/{event.series.slug}/"):
            html = client.get(public).text
            assert event.title in html and "Quraishova" not in html, public
        assert client.get(f"/speakers/{invited.person.slug}/").status_code == 404
        assert client.get(f"/speakers/{confirmed.person.slug}/").status_code == 200
        found = client.get("/search/", params={"q": "Quraishova"}).text
        assert f"/events/{event.slug}/" not in found and f"/speakers/{invited.person.slug}/" not in found

        participation_respond(participation=invited, accept=True)

        page = client.get(f"/events/{event.slug}/").text
        assert "Quraishova" in page and performers(page) == ["Amir Yaqubzai", "Nadia Quraishova"]
        assert client.get(f"/speakers/{invited.person.slug}/").status_code == 200
        found = client.get("/search/", params={"q": "Quraishova"}).text
        assert f"/events/{event.slug}/" in found and f"/speakers/{invited.person.slug}/" in found


def test_attendees_see_the_public_agenda_and_staff_see_everyone_with_their_status(agenda, admin_client):
    event, confirmed, invited = agenda
    assert [p.pk for g in agenda_groups(event=event_get(slug=event.slug)) for p in g.participations] == [confirmed.pk]
    assert [p.pk for p in live_page_state(event=event)["agenda"]] == [confirmed.pk]
    assert [p.pk for p in live_page_state(event=event, moderator=True)["agenda"]] == [confirmed.pk, invited.pk]
    ask = {"text": "Will the treaty hold?", "key": "k1"}
    assert AskForm({**ask, "to": str(confirmed.pk)}, event=event).is_valid()
    assert not AskForm({**ask, "to": str(invited.pk)}, event=event).is_valid()  # attendees cannot name them
    staff_page = admin_client.get(reverse("reminders:speakers", args=[event.pk])).content.decode()
    assert "Quraishova" in staff_page and "Invited" in staff_page
    assert "Only speakers who have accepted are named on the public pages" in staff_page
    assert timezone.now() < event.starts_at - timedelta(days=1)  # an upcoming event: the case that leaked
