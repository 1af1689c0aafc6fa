"""Staff pages: approval one by one and in bulk, permissions, the outbox."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from podium.events.models import Event
from podium.mail.models import Message
from podium.registrations import services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def approval_event(make_event):
    event = make_event(capacity=2, registration_mode=Event.RegistrationMode.APPROVAL)
    for n in range(4):
        services.registration_submit(event=event, name=f"Guest {n}", email=f"g{n}@example.org", segment="diplomat")
    return event


def user_with(*codenames):
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_staff_pages_need_login(client, approval_event):
    for url in (
        reverse("staff:dashboard"),
        reverse("staff:registrations", args=[approval_event.pk]),
        reverse("staff:outbox"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))
    response = client.post(reverse("staff:decide", args=[approval_event.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert not Registration.objects.filter(status=S.CONFIRMED).exists()


def test_bulk_approve_in_order_of_arrival(admin_client, approval_event):
    ids = list(Registration.objects.filter(event=approval_event).order_by("-pk").values_list("pk", flat=True))
    response = admin_client.post(
        reverse("staff:decide", args=[approval_event.pk]),
        {"decision": "approve", "registration": [str(i) for i in ids]},
        follow=True,
    )
    assert "Approved 4 registrations." in response.content.decode()
    statuses = list(Registration.objects.filter(event=approval_event).order_by("pk").values_list("status", flat=True))
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]


def test_single_row_decline_ignores_other_ticks(admin_client, approval_event):
    first, second = Registration.objects.filter(event=approval_event).order_by("pk")[:2]
    admin_client.post(
        reverse("staff:decide", args=[approval_event.pk]) + f"?only={first.pk}",
        {"decision": "decline", "registration": [str(second.pk)]},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.DECLINED, S.PENDING)
    assert Message.objects.filter(registration=first, kind="registration_declined").count() == 1


def test_decide_without_selection_explains(admin_client, approval_event):
    response = admin_client.post(
        reverse("staff:decide", args=[approval_event.pk]), {"decision": "approve"}, follow=True
    )
    assert "Select at least one registration first." in response.content.decode()


def test_open_redirect_is_refused(admin_client, approval_event):
    response = admin_client.post(
        reverse("staff:decide", args=[approval_event.pk]), {"decision": "approve", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("staff:registrations", args=[approval_event.pk])


def test_viewer_without_change_permission_cannot_decide(client, approval_event):
    client.force_login(user_with("view_registration"))
    assert client.get(reverse("staff:registrations", args=[approval_event.pk])).status_code == 200
    response = client.post(
        reverse("staff:decide", args=[approval_event.pk]), {"decision": "approve", "registration": ["1", "2"]}
    )
    assert response.status_code == 403
    assert not Registration.objects.exclude(status=S.PENDING).exists()
    assert client.get(reverse("staff:outbox")).status_code == 403  # no mail permission either


def test_registrations_page_filters_and_shows_counts(admin_client, approval_event):
    url = reverse("staff:registrations", args=[approval_event.pk])
    html = admin_client.get(url + "?status=pending").content.decode()
    assert "Guest 0" in html and "Pending approval (4)" in html
    html = admin_client.get(url + "?q=Guest 3").content.decode()
    assert "Guest 3" in html and "Guest 1" not in html


def test_outbox_pages_show_messages_and_retry_failed(admin_client, approval_event):
    message = Message.objects.first()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, last_error="SMTP 550 mailbox full")
    page = admin_client.get(reverse("staff:outbox") + "?status=failed").content.decode()
    assert message.subject in page and "SMTP 550 mailbox full" in page
    detail = admin_client.get(reverse("staff:message", args=[message.pk])).content.decode()
    assert "Send again" in detail and message.body_text.splitlines()[0] in detail
    body = admin_client.get(reverse("staff:message_body", args=[message.pk]))
    assert "sandbox" in body["Content-Security-Policy"]
    admin_client.post(reverse("staff:message_retry", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED and message.attempts == 0


def test_every_model_has_an_admin(admin_client):
    from django.apps import apps
    from django.contrib import admin

    for model in apps.get_app_config("registrations").get_models():
        assert admin.site.is_registered(model)
    for label in ("core", "people", "events", "registrations", "mail", "reports"):
        for model in apps.get_app_config(label).get_models():
            assert admin.site.is_registered(model), model
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client.get(url).status_code == 200


def test_admin_enters_event_times_in_the_events_own_zone(admin_client, make_event):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    event = make_event(
        time_zone="Asia/Karachi",
        starts_at=datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(2026, 12, 8, 12, 0, tzinfo=ZoneInfo("UTC")),
    )
    url = reverse("admin:events_event_change", args=[event.pk])
    assert 'value="15:00:00"' in admin_client.get(url).content.decode()  # 10:00 UTC is 15:00 in Karachi
    data = {
        "series": event.series_id,
        "title": event.title,
        "slug": event.slug,
        "abstract": "",
        "format": "webinar",
        "location": "",
        "time_zone": "Europe/Moscow",
        "starts_at_0": "2026-12-08",
        "starts_at_1": "15:00",
        "ends_at_0": "2026-12-08",
        "ends_at_1": "17:00",
        "status": "announced",
        "visibility": "public",
        "attribution": "on_the_record",
        "registration_mode": "open",
        "capacity": "",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.starts_at == datetime(2026, 12, 8, 12, 0, tzinfo=ZoneInfo("UTC"))  # 15:00 in Moscow
    assert event.calendar_sequence == 1  # calendars learn that the time changed
