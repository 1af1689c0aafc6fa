"""Whatever a staff page is sent (letters for an id, a 30-digit id, a NUL byte, which PostgreSQL cannot
store), the answer is a message a person understands, never a 500, and nothing is half-saved.

The whole suite runs on SQLite and again on PostgreSQL, where a NUL byte that reached a query would fail.
The live page's and console's actions have their own tests in tests/live.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from podium.campaigns.models import Campaign
from podium.demo.loader import demo_load
from podium.events.models import Event, Participation
from podium.imports.models import ContactImport
from podium.live.models import Note
from podium.people.models import Person
from podium.registrations.models import Registration
from podium.reports import services as report_services
from podium.reports.models import Point, Report, ReportVersion, Transcript
from podium.reports.views import SAMPLE_TRANSCRIPT

HUGE = "9" * 30  # larger than any database key
LETTERS = "abc"
NUL = "a\x00b"
HOSTILE_IDS = [LETTERS, HUGE, "1\x00", "-1", "٣"]  # the last: an Arabic-Indic digit, which int() accepts


@pytest.fixture
def site(db, settings):
    demo_load()
    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-chief-123")
    from django.test import Client

    client = Client()
    client.force_login(user)
    past = Event.objects.get(slug="pakistan-russia-relations")
    upcoming = Event.objects.filter(starts_at__gt=past.starts_at).order_by("starts_at").first()
    transcript = report_services.transcript_import(
        event=upcoming, filename=SAMPLE_TRANSCRIPT.name, data=SAMPLE_TRANSCRIPT.read_bytes(), user=user
    )
    return {"client": client, "past": past, "upcoming": upcoming, "transcript": transcript, "user": user}


def counts() -> dict[str, int]:
    """What a refused action must leave as it was."""
    models = [Point, Report, ReportVersion, Registration, Campaign, ContactImport, Person, Note, Transcript]
    return {model.__name__: model.objects.count() for model in models}


def assert_refused(response, *, allow_not_found: bool = False) -> None:
    """A clear answer: a page with the message (400/409), or a redirect whose flash message says what was wrong."""
    assert response.status_code != 500
    if allow_not_found and response.status_code == 404:
        return
    if response.status_code == 302:
        errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        assert errors and all(len(e) > 10 for e in errors), f"no message after {response.url}"
        return
    assert response.status_code in (400, 409), response.status_code
    page = response.content.decode()
    assert "errorlist" in page or "message-error" in page or 'role="alert"' in page or 'class="error' in page


# Every URL with an id in its path: a 30-digit id is "not found", never a server error ---------------------


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _int_routes():
    import re

    for route, _ in _routes():
        if "<int:" in route and not route.startswith("admin/"):
            path = re.sub(r"<int:\w+>", HUGE, route)
            path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
            yield "/" + path.lstrip("^").rstrip("$")


@pytest.mark.parametrize("path", sorted(set(_int_routes())))
def test_a_30_digit_id_in_any_address_is_not_found(site, path):
    for method in (site["client"].get, site["client"].post):
        response = method(path)
        assert response.status_code in (404, 405), (path, response.status_code)


# The staff registrations pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [*HOSTILE_IDS, NUL])
def test_decide_refuses_ids_it_cannot_read(site, bad):
    event = site["upcoming"]
    before = counts()
    statuses = list(Registration.objects.values_list("pk", "status"))
    url = reverse("staff:decide", args=[event.pk])
    assert_refused(site["client"].post(url, {"decision": "approve", "registration": [bad]}))
    assert_refused(site["client"].post(url + f"?only={bad}", {"decision": "approve"}))
    assert_refused(site["client"].post(url, {"decision": bad, "registration": ["1"]}))
    assert counts() == before and list(Registration.objects.values_list("pk", "status")) == statuses


def test_registration_list_filter_with_a_nul_byte_is_refused_with_a_message(site):
    url = reverse("staff:registrations", args=[site["upcoming"].pk])
    assert_refused(site["client"].get(url, {"q": NUL}))
    assert_refused(site["client"].get(url, {"status": NUL}))
    assert site["client"].get(url, {"q": "Haque", "status": "confirmed"}).status_code == 200


def test_outbox_filter_ignores_what_it_does_not_know(site):
    assert site["client"].get(reverse("staff:outbox"), {"status": NUL, "page": HUGE}).status_code == 200


# The report workspace -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_report_actions_refuse_ids_and_versions_they_cannot_read(site, bad):
    event, client = site["past"], site["client"]
    note = Note.objects.create(event=event, text="A note the rapporteur took.")
    before = counts()
    assert_refused(client.post(reverse("reports:point_add", args=[event.pk]), {"participation": bad, "text": "ok"}))
    assert_refused(client.post(reverse("reports:note_use", args=[event.pk, note.pk]), {"participation": bad}))
    assert_refused(client.post(reverse("reports:edit", args=[event.pk]), {"headline": "H", "body": "B", "base": bad}))
    for action in ("submit", "approve", "publish"):
        assert_refused(client.post(reverse("reports:action", args=[event.pk, action]), {"number": bad}))
    assert client.get(reverse("reports:staff_export", args=[event.pk, "md"]), {"version": bad}).status_code == 404
    after = counts()
    after["Note"] -= 0
    assert after == before


def test_report_text_with_a_nul_byte_is_refused(site):
    event, client = site["past"], site["client"]
    participation = Participation.objects.filter(event=event).first()
    point = Point.objects.filter(event=event).first()
    before = counts()
    text_before = point.text
    assert_refused(
        client.post(reverse("reports:point_add", args=[event.pk]), {"participation": participation.pk, "text": NUL})
    )
    assert_refused(client.post(reverse("reports:point_change", args=[event.pk, point.pk, "edit"]), {"text": NUL}))
    assert_refused(client.post(reverse("reports:edit", args=[event.pk]), {"headline": NUL, "body": "Body"}))
    assert_refused(
        client.post(reverse("reports:point_add", args=[event.pk]), {"participation": participation.pk, "source": NUL})
    )
    point.refresh_from_db()
    assert counts() == before and point.text == text_before


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_transcript_mapping_refuses_what_is_not_someone_on_the_agenda(site, bad):
    transcript, client = site["transcript"], site["client"]
    speaker = transcript.speakers.first()
    guessed = speaker.participation_id
    url = reverse("reports:transcript_mapping", args=[transcript.event_id, transcript.pk])
    assert_refused(client.post(url, {f"speaker-{speaker.pk}": bad}))
    speaker.refresh_from_db()
    assert speaker.participation_id == guessed and not speaker.confirmed


# Imports, audience, campaigns, reminders ------------------------------------------------------------------


def test_import_choice_and_upload_with_hostile_values(site):
    client = site["client"]
    response = client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("contacts.csv", b"Name,Email\nDr. A Khan,khan@example.org\n")},
    )
    contact_import = ContactImport.objects.latest("pk")
    assert response.status_code == 302
    people = Person.objects.count()
    assert_refused(client.post(reverse("imports:decide", args=[contact_import.pk]), {"choice": NUL}))
    assert_refused(client.post(reverse("imports:mapping", args=[contact_import.pk]), {"column_0": NUL}))
    assert Person.objects.count() == people


def test_directory_filter_and_saved_audience_with_hostile_values(site):
    client = site["client"]
    for query in ({"q": NUL}, {"tag": NUL}, {"country": NUL}, {"event": LETTERS}, {"event": HUGE}, {"segment": NUL}):
        assert_refused(client.get(reverse("audience:people"), query))
    before = counts()
    assert_refused(client.post(reverse("audience:save"), {"name": NUL, "segment": "diplomat"}))
    assert_refused(client.post(reverse("audience:save"), {"name": "Diplomats", "q": NUL}))
    assert counts() == before


def test_campaign_forms_with_hostile_values(site):
    client, event = site["client"], site["upcoming"]
    before = counts()
    for fields in (
        {"event": LETTERS},
        {"event": HUGE},
        {"name": NUL},
        {"subject": NUL},
        {"body": NUL},
        {"segments": [NUL]},
        {"people": NUL},
    ):
        data = {
            "event": event.pk,
            "name": "Round",
            "subject": "Invitation",
            "body": "Dear {{ recipient_name }}",
            "segments": ["diplomat"],
            **fields,
        }
        assert_refused(client.post(reverse("campaigns:new"), data))
    assert_refused(client.post(reverse("campaigns:template_new"), {"name": NUL, "subject": "S", "body": "B"}))
    assert counts() == before
    campaign = Campaign.objects.create(event=event, name="Draft", subject="S", body="Dear {{ recipient_name }}")
    for preview in (LETTERS, HUGE, NUL):
        assert client.get(reverse("campaigns:detail", args=[campaign.pk]), {"preview": preview}).status_code == 200
    assert_refused(client.post(reverse("campaigns:send", args=[campaign.pk]), {"when": NUL}))
    assert_refused(client.post(reverse("campaigns:send", args=[campaign.pk]), {"when": "later", "send_at": NUL}))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_reminder_schedule_with_hostile_values(site):
    client, event = site["client"], site["upcoming"]
    url = reverse("reminders:save", args=[event.pk])
    before = Event.objects.filter(pk=event.pk).values().get()
    for fields in (
        {"join_url": NUL},
        {"join_opens_minutes": HUGE},
        {"reminder_offsets": NUL},
        {"tech_check_minutes": LETTERS},
    ):
        data = {
            "join_url": "",
            "join_opens_minutes": 15,
            "tech_check_minutes": 30,
            "reminder_offsets": "1 day",
            **fields,
        }
        assert_refused(client.post(url, data))
    assert Event.objects.filter(pk=event.pk).values().get() == before


def test_speaker_answer_with_hostile_values(site):
    participation = Participation.objects.filter(event=site["upcoming"]).first()
    answered = participation.confirmation
    for decision in (NUL, LETTERS, ""):
        assert_refused(
            site["client"].post(reverse("events:speaker_respond", args=[participation.token]), {"decision": decision})
        )
    participation.refresh_from_db()
    assert participation.confirmation == answered
