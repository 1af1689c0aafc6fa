"""Personal links against a real server: an address that guesses tokens (/r/, /i/, /j/, /live/, /speak/)
is refused with a polite 429 after a few misses, while a person opening their own link again and again
never is (issue 12, "Also harden")."""

import secrets

import httpx
import pytest
from django.utils import timezone

from podium.registrations.models import Invitation, Registration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def links(live_server, organisation, make_event, settings):
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    settings.PODIUM_RATE_LIMIT_WINDOW = 10**9  # one fixed window for the whole test, wherever the clock is
    event = make_event()
    registration = Registration.objects.create(
        event=event,
        name="Attendee",
        email="a@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )
    invitation = Invitation.objects.create(event=event, email="b@example.org")
    return {
        "manage": f"{live_server.url}/r/{registration.manage_token}/",
        "join": f"{live_server.url}/j/{registration.token}/",
        "invitation": f"{live_server.url}/i/{invitation.token}/accept/",
    }


def guesses(base: str):
    for n in range(1000):
        prefix = ("r", "i", "j", "live", "speak")[n % 5]
        yield f"{base}/{prefix}/{secrets.token_urlsafe(32)}/"


def test_a_person_opening_their_own_links_is_never_limited(live_server, links):
    with httpx.Client(timeout=20) as client:
        for _ in range(40):
            for url in links.values():
                assert client.get(url).status_code in (200, 302), url


def test_guessing_tokens_is_refused_after_twenty_misses(live_server, links):
    with httpx.Client(timeout=20) as client:
        wrong = guesses(live_server.url)
        answers = [client.get(next(wrong)).status_code for _ in range(30)]
        assert answers[:20] == [404] * 20 and set(answers[20:]) == {429}
        limited = client.get(next(wrong))
        assert limited.status_code == 429 and "Too many attempts" in limited.text
        assert int(limited.headers["Retry-After"]) > 0
        # A valid link from the same address is refused too: a 200 among the 429s would name a real token.
        assert client.get(links["manage"]).status_code == 429
        assert client.get(live_server.url + "/").status_code == 200  # the rest of the site is open
