"""The event page's and the registration form's call to action (issue 13, item 7): "Register" while seats
are free, "Join the waiting list" once they are gone, "Request a place" where the organisers approve."""

import re

import pytest
from django.urls import reverse

from podium.events.models import Event
from podium.registrations import services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db


def fill(event, seats: int) -> None:
    for n in range(seats):
        services.registration_submit(event=event, name=f"Person {n}", email=f"p{n}@example.org", segment="scholar")


def actions(client, event) -> tuple[str, str]:
    """The event page's link to the form and the form's submit button."""
    page = client.get(reverse("public:event", args=[event.slug])).content.decode()
    form = client.get(reverse("registrations:register", args=[event.slug])).content.decode()
    register_url = reverse("registrations:register", args=[event.slug])
    link = re.search(rf'<a class="button" href="{re.escape(register_url)}">([^<]+)</a>', page)
    button = re.search(r'<button type="submit" class="button">([^<]+)</button>', form)
    assert link and button
    return link.group(1), button.group(1)


def test_register_while_seats_are_free(client, organisation, make_event):
    event = make_event(capacity=2)
    fill(event, 1)
    assert actions(client, event) == ("Register", "Register")
    assert "1 seat left." in client.get(reverse("public:event", args=[event.slug])).content.decode()


def test_join_the_waiting_list_once_the_event_is_full(client, organisation, make_event):
    event = make_event(capacity=2)
    fill(event, 2)
    assert actions(client, event) == ("Join the waiting list", "Join the waiting list")
    form = client.get(reverse("registrations:register", args=[event.slug])).content.decode()
    assert "<h1>Join the waiting list</h1>" in form and "you will join the waiting list" in form
    # and the words are true: the next one to send the form waits
    client.post(
        reverse("registrations:register", args=[event.slug]),
        {"name": "Late Comer", "email": "late@example.org", "segment": "scholar"},
    )
    assert Registration.objects.get(email="late@example.org").status == Registration.Status.WAITLISTED


def test_request_a_place_where_the_organisers_approve(client, organisation, make_event):
    event = make_event(capacity=5, registration_mode=Event.RegistrationMode.APPROVAL)
    assert actions(client, event) == ("Request a place", "Request a place")
    assert (
        "Registrations are approved by the organisers."
        in client.get(reverse("public:event", args=[event.slug])).content.decode()
    )


def test_unlimited_events_always_say_register(client, organisation, make_event):
    event = make_event(capacity=None)
    fill(event, 3)
    assert actions(client, event) == ("Register", "Register")
