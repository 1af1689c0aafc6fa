"""Staff sign-in against a real server: password guessing is locked out by account and address, and by
address alone at a higher limit, every sign-in counts towards the address's rate limit, and a signed-in session ends
after a few idle hours (issue 12, item 5)."""

import re
from datetime import timedelta

import httpx
import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "right-horse-battery-9"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "editor", "editor@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client: httpx.Client, base: str, username: str, password: str) -> httpx.Response:
    page = client.get(base + "/staff/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""}
    return client.post(base + "/staff/login/", data=data, headers={"Referer": base + "/staff/login/"})


def signed_in(client: httpx.Client, base: str) -> bool:
    response = client.get(base + "/staff/")
    return response.status_code == 200 and "Sign in" not in response.text


def test_forty_wrong_passwords_then_the_right_one_is_refused(live_server, staff):
    with httpx.Client(timeout=20) as client:
        answers = [sign_in(client, live_server.url, "editor", f"guess-{n}").status_code for n in range(40)]
        last = sign_in(client, live_server.url, "editor", PASSWORD)
        assert not signed_in(client, live_server.url)
    assert answers[:4] == [200] * 4  # the form again, with its error
    assert set(answers[4:]) == {429}  # the fifth failure locks out
    assert last.status_code == 429 and "too many wrong passwords" in last.text.lower()
    assert "Please wait 15 minutes" in last.text


def test_one_address_guessing_many_accounts_is_locked_out(live_server, staff, settings):
    """A different account name each time never locks one account; the address is locked instead, at its
    own higher limit, and then not even a right password from it is tried."""
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    settings.AXES_COOLOFF_TIME = timedelta(days=10**4)  # one fixed window for the whole test
    settings.PODIUM_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    with httpx.Client(timeout=20) as client:
        answers = [sign_in(client, live_server.url, f"user{n}", "guess").status_code for n in range(15)]
        last = sign_in(client, live_server.url, "editor", PASSWORD)
    assert answers[:12] == [200] * 12 and set(answers[12:]) == {429}
    assert last.status_code == 429 and "too many wrong passwords" in last.text.lower()


def test_a_colleague_mistyping_does_not_lock_the_office_out(live_server, staff, settings):
    """Five wrong passwords for one account lock that account from that address, not everyone behind it."""
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    settings.AXES_COOLOFF_TIME = timedelta(days=10**4)
    get_user_model().objects.create_user("moderator", "m@example.org", PASSWORD, is_staff=True, is_superuser=True)
    with httpx.Client(timeout=20) as client:
        for n in range(6):
            sign_in(client, live_server.url, "editor", f"typo-{n}")
        assert sign_in(client, live_server.url, "editor", PASSWORD).status_code == 429
        assert sign_in(client, live_server.url, "moderator", PASSWORD).status_code == 302
        assert signed_in(client, live_server.url)


def test_a_success_clears_the_count_and_the_lockout_ends_after_the_cool_off(live_server, staff, settings):
    with httpx.Client(timeout=20) as client:
        for n in range(4):
            assert sign_in(client, live_server.url, "editor", f"typo-{n}").status_code == 200
        assert sign_in(client, live_server.url, "editor", PASSWORD).status_code == 302
        client.post(live_server.url + "/staff/logout/", headers={"Referer": live_server.url + "/staff/"})
    with httpx.Client(timeout=20) as client:
        for n in range(4):
            assert sign_in(client, live_server.url, "editor", f"typo-{n}").status_code == 200
        assert sign_in(client, live_server.url, "editor", PASSWORD).status_code == 302
    with httpx.Client(timeout=20) as client:
        for n in range(5):
            sign_in(client, live_server.url, "editor", f"typo-{n}")
        assert sign_in(client, live_server.url, "editor", PASSWORD).status_code == 429
        # The cool-off passes (the failures are moved back in time rather than waited for).
        from axes.models import AccessAttempt

        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        assert sign_in(client, live_server.url, "editor", PASSWORD).status_code == 302


def test_sign_in_forms_are_rate_limited_per_address(live_server, staff, settings):
    settings.PODIUM_RATE_LIMIT_ENABLED = True
    settings.PODIUM_RATE_LIMIT_WINDOW = 10**9  # one fixed window for the whole test, wherever the clock is
    with httpx.Client(timeout=20) as client:
        answers = []
        for _ in range(35):  # right each time: no lockout, only the count of forms sent
            answers.append(sign_in(client, live_server.url, "editor", PASSWORD).status_code)
            client.cookies.clear()
    assert answers[:30] == [302] * 30 and set(answers[30:]) == {429}


def session_of(client: httpx.Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"])


def test_a_signed_in_session_ends_after_three_idle_hours(live_server, staff):
    with httpx.Client(timeout=20) as client:
        assert sign_in(client, live_server.url, "editor", PASSWORD).status_code == 302
        assert signed_in(client, live_server.url)
        expires = session_of(client).expire_date
        assert expires <= timezone.now() + timedelta(hours=3, minutes=1)  # not two weeks

        # Activity moves the end: a request a while later (the clock moved back in the row) extends it.
        store = SessionStore(session_key=client.cookies["sessionid"])
        store["podium_seen"] = int(timezone.now().timestamp()) - 2 * 3600
        store.save()
        Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + timedelta(hours=1))
        assert signed_in(client, live_server.url)
        assert session_of(client).expire_date > timezone.now() + timedelta(hours=2, minutes=58)

        # Three hours without a request: the session is over.
        Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
        assert not signed_in(client, live_server.url)


def test_anonymous_visitors_get_no_session(live_server, staff):
    with httpx.Client(timeout=20) as client:
        client.get(live_server.url + "/")
        assert "sessionid" not in client.cookies
    assert not Session.objects.exists()
