"""Staff pages of the directory and of campaigns: filters, saved audiences, history, permissions, query counts."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.audience.models import SavedAudience
from podium.campaigns import delivery, services
from podium.campaigns.models import Campaign
from podium.people.models import Tag
from podium.registrations.models import Registration
from podium.registrations.services import registration_submit
from tests.support.worker import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PODIUM_CAMPAIGN_BATCH_PAUSE = 0


@pytest.fixture
def directory(make_person, make_event):
    tag = Tag.objects.create(name="CPEC working group")
    people = [
        make_person(
            honorific="Ambassador",
            retired=True,
            given_names="Shahid M",
            family_name="Amin",
            email="amin@example.org",
            segment="diplomat",
            country="Pakistan",
        ),
        make_person(
            honorific="Maj Gen",
            retired=True,
            given_names="Inam ul",
            family_name="Haque",
            email="haque@example.org",
            segment="former_defence",
            country="Pakistan",
        ),
        make_person(
            honorific="Dr.",
            given_names="Vladimir",
            family_name="Kozin",
            email="kozin@example.org",
            segment="expert",
            country="Russia",
            designations=[("Leading Expert", "MGIMO", True)],
        ),
    ]
    people[1].tags.add(tag)
    past = make_event(title="Earlier webinar")
    registration = registration_submit(
        event=past, name="Haque", email="haque@example.org", segment="former_defence"
    ).registration
    Registration.objects.filter(pk=registration.pk).update(joined_at=timezone.now(), person=people[1])
    return people


def names(response) -> list[str]:
    return re.findall(r'href="/staff/people/\d+/">([^<]+)</a>', response.content.decode())


def test_directory_filters_by_segment_tag_country_and_history(admin_client, organisation, directory):
    url = reverse("audience:people")
    assert len(names(admin_client.get(url))) == 3
    assert names(admin_client.get(url, {"segment": "diplomat"})) == ["Ambassador (Retd) Shahid M Amin"]
    assert names(admin_client.get(url, {"tag": "CPEC working group"})) == ["Maj Gen (Retd) Inam ul Haque"]
    assert names(admin_client.get(url, {"country": "russia"})) == ["Dr. Vladimir Kozin"]
    assert names(admin_client.get(url, {"q": "mgimo"})) == ["Dr. Vladimir Kozin"]
    assert names(admin_client.get(url, {"history": "attended"})) == ["Maj Gen (Retd) Inam ul Haque"]
    assert len(names(admin_client.get(url, {"history": "not_attended"}))) == 2
    # Unknown values are ignored, not trusted.
    assert len(names(admin_client.get(url, {"segment": "<script>", "history": "x"}))) == 3


def test_save_a_filter_as_a_named_audience_and_use_it(admin_client, organisation, directory, make_event):
    response = admin_client.post(reverse("audience:save"), {"name": "Pakistanis", "country": "Pakistan"}, follow=True)
    assert "Saved as “Pakistanis”" in response.content.decode()
    audience = SavedAudience.objects.get()
    assert audience.query == {"country": "Pakistan"}
    page = admin_client.get(reverse("audience:audiences")).content.decode()
    assert "Pakistanis" in page and '<td class="num">2</td>' in page
    assert f'href="{reverse("audience:people")}?country=Pakistan"' in page
    assert f'action="{reverse("audience:delete", args=[audience.pk])}"' in page and " by admin" in page
    response = admin_client.post(reverse("audience:save"), {"name": "Pakistanis", "country": "Russia"}, follow=True)
    assert "There is already an audience called “Pakistanis”" in response.content.decode()
    response = admin_client.post(reverse("audience:save"), {"name": "Everyone"}, follow=True)
    assert "Choose at least one filter first" in response.content.decode()
    assert SavedAudience.objects.count() == 1


def test_person_page_shows_history(admin_client, organisation, directory):
    page = admin_client.get(reverse("audience:person", args=[directory[1].pk])).content.decode()
    assert "Earlier webinar" in page and "Yes, joined" in page


def test_directory_needs_permission(client, organisation, directory):
    response = client.get(reverse("audience:people"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("audience:people")).status_code == 403
    assert client.get(reverse("campaigns:list")).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    assert client.get(reverse("audience:people")).status_code == 200
    assert client.post(reverse("audience:save"), {"name": "X", "country": "Pakistan"}).status_code == 403


def test_directory_page_queries_do_not_grow(admin_client, organisation, make_person):
    tag = Tag.objects.create(name="T")
    url = reverse("audience:people")

    def count() -> int:
        admin_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    make_person(family_name="First", email="first@example.org", designations=[("Fellow", "NIPS", True)]).tags.add(tag)
    few = count()
    for n in range(25):
        make_person(family_name=f"P{n}", email=f"p{n}@example.org", designations=[("Fellow", "NIPS", True)]).tags.add(
            tag
        )
    assert count() == few


@pytest.mark.django_db(transaction=True)  # the task worker commits and reads its queue
def test_campaign_from_the_pages_draft_preview_send_progress(admin_client, organisation, directory, make_event):
    event = make_event(title="Pakistan–Russia Relations")
    response = admin_client.post(
        reverse("campaigns:new"),
        {
            "event": event.pk,
            "name": "Round one",
            "subject": "Invitation: {{ event_title }}",
            "body": "Dear {{ recipient_name }},\n{{ rsvp_lnk }}",
            "segments": ["diplomat"],
        },
    )
    assert response.status_code == 400
    assert "“{{ rsvp_lnk }}” is not a placeholder we know" in response.content.decode()
    response = admin_client.post(
        reverse("campaigns:new"),
        {
            "event": event.pk,
            "name": "Round one",
            "subject": "Invitation: {{ event_title }}",
            "body": "Dear {{ recipient_name }},\nAccept: {{ rsvp_link }}",
            "segments": ["diplomat", "expert"],
            "people": "haque@example.org",
            "restrict_to_email": "on",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    page = admin_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    html = page.content.decode()
    assert "<strong>3</strong> people will be invited" in html
    assert "Dear Dr. Sample Invitee," in html  # the plain-text preview, for the made-up invitee, not a real person
    assert "Shahid M Amin" not in html.split("people will be invited")[1]
    body = admin_client.get(reverse("campaigns:preview_body", args=[campaign.pk]))
    assert "sandbox" in body["Content-Security-Policy"] and "Sample Invitee" in body.content.decode()
    assert body["Cross-Origin-Resource-Policy"] == "cross-origin"  # else the sandboxed frame stays blank
    assert not mail.outbox  # previewing sends nothing

    confirmation = admin_client.post(reverse("campaigns:send", args=[campaign.pk]), {"when": "now"})
    assert "Send 3 invitations now" in confirmation.content.decode()
    admin_client.post(reverse("campaigns:send", args=[campaign.pk]), {"when": "now", "confirmed": "on", "expected": 3})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    services.campaigns_sweep()  # what the worker does: queue the run, then run it
    run_queued_tasks()
    progress = admin_client.get(reverse("campaigns:progress", args=[campaign.pk])).json()
    assert progress["status"] == "sent" and (progress["total"], progress["sent"], progress["failed"]) == (3, 3, 0)
    page = admin_client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert page.count('class="badge badge-sent"') == 3


def test_unknown_individual_email_is_named(admin_client, organisation, directory, make_event):
    response = admin_client.post(
        reverse("campaigns:new"),
        {
            "event": make_event().pk,
            "name": "X",
            "subject": "S",
            "body": "B",
            "people": "who@example.org",
        },
    )
    assert response.status_code == 400
    assert "Not in the directory: who@example.org" in response.content.decode()
    assert not Campaign.objects.exists()


def test_campaign_pages_queries_do_not_grow_with_recipients(admin_client, organisation, make_event, make_person):
    event = make_event()
    make_person(family_name="Zero", email="zero@example.org", segment="expert")
    campaign = services.campaign_save(event=event, name="C", subject="S", body="{{ rsvp_link }}", segments=["expert"])
    services.campaign_schedule(campaign=campaign)
    delivery.campaign_run(campaign_id=campaign.pk)
    urls = [reverse("campaigns:detail", args=[campaign.pk]), reverse("campaigns:list")]

    def count(url) -> int:
        admin_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    few = [count(url) for url in urls]
    for n in range(20):
        person = make_person(family_name=f"P{n}", email=f"p{n}@example.org", segment="expert")
        campaign.people.add(person)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING, heartbeat_at=None)
    delivery.campaign_run(campaign_id=campaign.pk)
    assert [count(url) for url in urls] == few


def test_next_page_link_keeps_the_filter(admin_client, organisation, make_person):
    for n in range(55):
        make_person(family_name=f"D{n:02d}", email=f"d{n}@example.org", segment="diplomat")
    make_person(family_name="Student", email="s@example.org", segment="student")
    page = admin_client.get(reverse("audience:people"), {"segment": "diplomat"}).content.decode()
    assert 'href="?segment=diplomat&amp;page=2" rel="next"' in page
    second = admin_client.get(reverse("audience:people"), {"segment": "diplomat", "page": 2}).content.decode()
    assert names_in(second) == ["D50", "D51", "D52", "D53", "D54"]


def names_in(html: str) -> list[str]:
    return re.findall(r'href="/staff/people/\d+/">([^<]+)</a>', html)
