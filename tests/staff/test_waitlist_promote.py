"""Staff give a seat to someone on the waiting list by hand: the service re-checks seats under the
event's lock, the page has a button per waiting row, and a refusal is a message, not a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from podium.core.errors import ApplicationError
from podium.mail.models import Message
from podium.registrations import services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def full_event(make_event):
    event = make_event(capacity=1)
    for n in range(3):
        services.registration_submit(event=event, name=f"Guest {n}", email=f"g{n}@example.org", segment="diplomat")
    return event


def registrations(event):
    return list(Registration.objects.filter(event=event).order_by("pk"))


def test_promote_refuses_when_no_seat_is_free(full_event, admin_user):
    _, waiting, _ = registrations(full_event)
    with pytest.raises(ApplicationError, match="No seat is free"):
        services.registration_promote(registration=waiting, by=admin_user)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    assert not Message.objects.filter(registration=waiting, kind="registration_promoted").exists()


def test_promote_gives_a_seat_out_of_turn_and_queues_the_email(
    full_event, admin_user, django_capture_on_commit_callbacks
):
    _, first_waiting, second_waiting = registrations(full_event)
    full_event.capacity = 2
    full_event.save(update_fields=["capacity"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.registration_promote(registration=second_waiting, by=admin_user)
    assert callbacks, "the email is sent after commit"
    second_waiting.refresh_from_db()
    first_waiting.refresh_from_db()
    assert (second_waiting.status, second_waiting.decided_by) == (S.CONFIRMED, admin_user)
    assert first_waiting.status == S.WAITLISTED
    assert Message.objects.filter(registration=second_waiting, kind="registration_promoted").count() == 1
    # The seat was the last: the next promotion is refused.
    with pytest.raises(ApplicationError, match="No seat is free"):
        services.registration_promote(registration=first_waiting, by=admin_user)


def test_promote_refuses_someone_not_waiting(full_event, admin_user):
    confirmed = registrations(full_event)[0]
    with pytest.raises(ApplicationError, match="no longer on the waiting list"):
        services.registration_promote(registration=confirmed, by=admin_user)


def test_unlimited_event_promotes(make_event, admin_user):
    event = make_event(capacity=1)
    services.registration_submit(event=event, name="A", email="a@example.org", segment="expert")
    waiting = services.registration_submit(event=event, name="B", email="b@example.org", segment="expert").registration
    event.capacity = None
    event.save(update_fields=["capacity"])
    assert services.registration_promote(registration=waiting, by=admin_user).status == S.CONFIRMED


def test_page_has_a_button_per_waiting_row_and_refuses_with_a_message(admin_client, full_event):
    page = admin_client.get(reverse("staff:registrations", args=[full_event.pk])).content.decode()
    assert page.count("Give a seat") == 2
    waiting = registrations(full_event)[1]
    url = reverse("staff:registration_promote", args=[full_event.pk, waiting.pk])
    response = admin_client.post(url)
    assert response.status_code == 302
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert errors and "No seat is free, so Guest 1 stays on the waiting list." in errors[0]
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED


def test_page_promotes_and_says_so(admin_client, full_event):
    full_event.capacity = 2
    full_event.save(update_fields=["capacity"])
    waiting = registrations(full_event)[2]
    response = admin_client.post(reverse("staff:registration_promote", args=[full_event.pk, waiting.pk]), follow=True)
    assert "Guest 2 has a seat now" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_promote_needs_change_permission_and_the_right_event(client, admin_client, full_event, make_event):
    waiting = registrations(full_event)[1]
    url = reverse("staff:registration_promote", args=[full_event.pk, waiting.pk])
    assert client.post(url).status_code == 302 and client.post(url)["Location"].startswith(reverse("staff:login"))
    other = make_event()
    assert admin_client.post(reverse("staff:registration_promote", args=[other.pk, waiting.pk])).status_code == 404
    assert admin_client.get(url).status_code == 405
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
