"""Seats under real concurrent HTTP requests: capacity is never exceeded, nobody gets an error.

Each request comes through its own connection to a live server thread with its own database
connection. On PostgreSQL the test first shows the race is real by switching the row lock off.
"""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.urls import reverse

from podium.core.errors import ApplicationError
from podium.registrations import services
from podium.registrations.models import Registration

CAPACITY = 10
CLIENTS = 60
S = Registration.Status


def register_all(live_server_url: str, slug: str, clients: int, email: str = "") -> list[int]:
    url = live_server_url + reverse("registrations:register", args=[slug])
    barrier = threading.Barrier(clients, timeout=60)

    def one(n: int) -> int:
        with httpx.Client(timeout=60) as client:
            form = client.get(url)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
            barrier.wait()  # everyone submits at once
            response = client.post(
                url,
                data={
                    "csrfmiddlewaretoken": token,
                    "name": f"Guest {n}",
                    "email": email or f"guest{n}@example.org",
                    "segment": "scholar",
                },
            )
            return response.status_code

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, range(clients)))


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_exceed_capacity(live_server, make_event):
    event = make_event(capacity=CAPACITY)
    codes = register_all(live_server.url, event.slug, CLIENTS)
    assert codes == [302] * CLIENTS  # every registrant got the confirmation redirect, none an error
    assert Registration.objects.filter(event=event, status=S.CONFIRMED).count() == CAPACITY
    assert Registration.objects.filter(event=event, status=S.WAITLISTED).count() == CLIENTS - CAPACITY
    # the waiting list has a strict order: no two people share a place
    stamps = list(
        Registration.objects.filter(event=event, status=S.WAITLISTED).values_list("status_changed_at", flat=True)
    )
    assert len(set(stamps)) == len(stamps)


@pytest.mark.django_db(transaction=True)
def test_strangers_sending_someones_address_at_once_change_nothing(live_server, make_event):
    from podium.mail.models import Message

    event = make_event(capacity=CAPACITY)
    owner = services.registration_submit(
        event=event, name="Sana Malik", email="sana@example.org", organisation="QAU", segment="diplomat"
    ).registration
    before = Registration.objects.filter(pk=owner.pk).values().get()
    codes = register_all(live_server.url, event.slug, 20, email="Sana@Example.org")
    assert codes == [302] * 20  # the same answer as a new registration's, and no error
    assert Registration.objects.filter(event=event).count() == 1
    assert Registration.objects.filter(pk=owner.pk).values().get() == before
    # One notice an hour for the owner (two if the hour turned while the requests ran).
    assert Message.objects.filter(registration=owner, kind="registration_repeated").count() in (1, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_the_same_load_overbooks(live_server, make_event, monkeypatch):
    """Proves the test above can fail: with the lock switched off, the race shows at once."""
    from podium.events.models import Event

    def unlocked(event_id):
        return Event.objects.get(pk=event_id)

    real_seat_free = services._seat_free

    def slow_seat_free(event):
        free = real_seat_free(event)
        time.sleep(0.2)  # widen the window between counting and inserting
        return free

    monkeypatch.setattr(services, "_event_locked", unlocked)
    monkeypatch.setattr(services, "_seat_free", slow_seat_free)
    event = make_event(capacity=CAPACITY)
    register_all(live_server.url, event.slug, 30)
    assert Registration.objects.filter(event=event, status=S.CONFIRMED).count() > CAPACITY


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lock_timeout_becomes_a_polite_busy_message(make_event, monkeypatch):
    """A registration that cannot get the event's lock in time is told to try again, not shown a 500."""
    from django.db import connections, transaction

    event = make_event(capacity=CAPACITY)
    monkeypatch.setattr(services, "LOCK_TIMEOUT_MS", 200)
    holder_ready, release = threading.Event(), threading.Event()

    def hold_lock():
        with transaction.atomic():
            services._event_locked(event.pk)
            holder_ready.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    holder_ready.wait(10)
    try:
        with pytest.raises(ApplicationError, match="try again") as busy:
            services.registration_submit(event=event, name="Late", email="late@example.org", segment="other")
        assert busy.value.status == 503  # the view answers "busy, try again", never a 500
    finally:
        release.set()
        holder.join()
    assert not Registration.objects.filter(event=event).exists()
