"""The event workspace: one tab bar on every staff page about an event, the overview and invitations
tabs, each event's next actions, and the dashboard grouped by stage in a constant number of queries."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.campaigns.models import Campaign
from podium.events.models import Event, Participation, Role
from podium.registrations.models import Registration
from podium.reports.models import Report, ReportVersion, Transcript
from podium.staff import selectors
from podium.staff.selectors import Stage

pytestmark = pytest.mark.django_db

TABS = [
    "Overview",
    "Registrations",
    "Speakers",
    "Invitations",
    "Reminders",
    "Live console",
    "Transcript",
    "Press release",
]
R = Registration.Status


def register(event, n, status=R.CONFIRMED):
    for i in range(n):
        Registration.objects.create(
            event=event,
            name=f"Guest {i}",
            email=f"guest{i}-{status}-{event.pk}@example.org",
            segment="diplomat",
            status=status,
            status_changed_at=timezone.now(),
        )


def campaign(event, status=Campaign.Status.SENT, name="Diplomats"):
    return Campaign.objects.create(event=event, name=name, subject="Invitation", body="Come.", status=status)


def press_release(event, status=Report.Status.DRAFT):
    report = Report.objects.create(event=event, status=status)
    version = ReportVersion.objects.create(report=report, number=1, headline="Headline", body="Body.", change="Drafted")
    report.current_version = version
    if status == Report.Status.PUBLISHED:
        report.published_version = version
    report.save()
    return report


def ended(make_event, **fields):
    start = timezone.now() - timedelta(days=3)
    fields.setdefault("status", Event.Status.ENDED)
    return make_event(starts_at=start, ends_at=start + timedelta(hours=2), **fields)


def tab_nav(html: str, event) -> str:
    navs = re.findall(r'<nav class="workspace-tabs" aria-label="([^"]*)">(.*?)</nav>', html, re.S)
    assert len(navs) == 1, "exactly one event tab bar"
    label, body = navs[0]
    assert unescape(label) == f"Event: {event.title}"
    return body


def tabs_of(body: str) -> list[tuple[str, str, str]]:
    """(href, aria-current or "", label) for each tab."""
    return [
        (href, current, label)
        for href, current, label in re.findall(
            r'<li><a href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a></li>', body
        )
    ]


@pytest.fixture
def full_event(make_event, add_speaker):
    """An event with something on every tab: speakers, registrations, a campaign, a transcript, a release."""
    event = make_event(title="Water & Power: The Indus Treaty")
    add_speaker(event, role=Role.MODERATOR)
    add_speaker(event, role=Role.DISCUSSANT, order=1)
    register(event, 2)
    register(event, 1, R.WAITLISTED)
    Transcript.objects.create(event=event, filename="talk.vtt")
    return event


def page_urls(event, sent_campaign, report):
    """Every staff page about one event (GET), with the tab it belongs to."""
    pk = event.pk
    return [
        (reverse("staff:event", args=[pk]), "Overview", "page"),
        (reverse("staff:event_edit", args=[pk]), "Overview", "true"),
        (reverse("staff:agenda", args=[pk]), "Overview", "true"),
        (reverse("staff:event_duplicate", args=[pk]), "Overview", "true"),
        (reverse("staff:event_unpublish", args=[pk]), "Overview", "true"),
        (reverse("staff:registrations", args=[pk]), "Registrations", "page"),
        (reverse("staff:registration_add", args=[pk]), "Registrations", "true"),
        (
            reverse("staff:registration_decline", args=[pk, event.registrations.active().order_by("pk")[0].pk]),
            "Registrations",
            "true",
        ),
        (reverse("reminders:speakers", args=[pk]), "Speakers", "page"),
        (reverse("campaigns:event", args=[pk]), "Invitations", "page"),
        (reverse("campaigns:detail", args=[sent_campaign.pk]), "Invitations", "true"),
        (reverse("reminders:event", args=[pk]), "Reminders", "page"),
        (reverse("live:console", args=[pk]), "Live console", "page"),
        (reverse("reports:transcript", args=[pk]), "Transcript", "page"),
        (reverse("reports:workspace", args=[pk]), "Press release", "page"),
        (reverse("reports:version", args=[pk, report.current_version.number]), "Press release", "true"),
    ]


def test_every_event_page_has_the_tab_bar_with_one_current_tab(admin_client, full_event):
    sent = campaign(full_event)
    report = press_release(full_event)
    resolved: dict[str, int] = {}
    for url, tab, current in page_urls(full_event, sent, report):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        tabs = tabs_of(tab_nav(response.content.decode(), full_event))
        assert [label for _, _, label in tabs] == TABS, url
        marked = [(label, mark) for _, mark, label in tabs if mark]
        assert marked == [(tab, current)], url
        for href, _, _ in tabs:
            if href not in resolved:
                resolved[href] = admin_client.get(href).status_code
    assert len(resolved) == 8
    assert set(resolved.values()) == {200}, resolved


def test_publish_pages_of_a_draft_and_of_a_press_release_carry_the_tabs(admin_client, make_event, admin_user):
    draft = make_event(status=Event.Status.DRAFT)
    html = admin_client.get(reverse("staff:event_publish", args=[draft.pk])).content.decode()
    assert [(label, mark) for _, mark, label in tabs_of(tab_nav(html, draft)) if mark] == [("Overview", "true")]
    # The set-up links stay one click away, the page's own marked.
    assert re.search(r'<a href="/staff/events/\d+/publish/" aria-current="page">Publish…</a>', html)
    assert reverse("staff:event_edit", args=[draft.pk]) in html

    event = ended(make_event)
    report = press_release(event, status=Report.Status.APPROVED)
    response = admin_client.post(
        reverse("reports:action", args=[event.pk, "publish"]), {"number": report.current_version.number}
    )
    assert response.status_code == 200
    tabs = tabs_of(tab_nav(response.content.decode(), event))
    assert [(label, mark) for _, mark, label in tabs if mark] == [("Press release", "true")]
    admin_client.post(
        reverse("reports:action", args=[event.pk, "publish"]),
        {"number": report.current_version.number, "confirmed": "on"},
    )
    report.refresh_from_db()
    assert report.published_version is not None
    # Withdrawing asks first, on a page under the same tab.
    response = admin_client.post(reverse("reports:action", args=[event.pk, "withdraw"]))
    assert response.status_code == 200 and "What disappears from the public site" in response.content.decode()
    tabs = tabs_of(tab_nav(response.content.decode(), event))
    assert [(label, mark) for _, mark, label in tabs if mark] == [("Press release", "true")]


def test_new_event_form_has_no_tab_bar(admin_client, organisation):
    html = admin_client.get(reverse("staff:event_new")).content.decode()
    assert "workspace-tabs" not in html


def test_overview_shows_where_the_event_stands(admin_client, make_event, add_speaker, organisation):
    event = make_event(title="Gwadar and the Gulf", capacity=40, registration_mode=Event.RegistrationMode.APPROVAL)
    add_speaker(event, role=Role.MAIN_SPEAKER, family_name="Rahman")
    register(event, 3)
    register(event, 2, R.WAITLISTED)
    register(event, 4, R.PENDING)
    campaign(event, status=Campaign.Status.DRAFT, name="Gulf diplomats")
    response = admin_client.get(reverse("staff:event", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Overview</h1>" in html
    assert "3</a> of 40 seats" in html
    assert f'href="{reverse("staff:registrations", args=[event.pk])}?status=pending"><strong>4</strong>' in html
    assert f"http://testserver{reverse('public:event', args=[event.slug])}" in html
    assert "Rahman" in html
    assert "Gulf diplomats" in html and "Not drafted" in html
    assert "4 registrations to approve" in html and "invitations drafted, not sent" in html
    assert "PKT" in html  # the date in the event's own zone, zone shown
    for name in ("staff:event_edit", "staff:agenda", "staff:event_duplicate", "staff:event_unpublish"):
        assert reverse(name, args=[event.pk]) in html


def test_overview_of_a_missing_event_is_404_and_needs_sign_in(client, admin_client, make_event):
    assert admin_client.get(reverse("staff:event", args=[999999])).status_code == 404
    event = make_event()
    response = client.get(reverse("staff:event", args=[event.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))


def test_invitations_tab_lists_the_events_campaigns(admin_client, make_event):
    event, other = make_event(), make_event()
    campaign(event, name="Ambassadors")
    campaign(event, status=Campaign.Status.DRAFT, name="Think tanks")
    campaign(other, name="Somebody else's")
    html = admin_client.get(reverse("campaigns:event", args=[event.pk])).content.decode()
    assert "Ambassadors" in html and "Think tanks" in html and "Somebody else" not in html
    assert f"{reverse('campaigns:new')}?event={event.pk}" in html and "New invitation campaign" in html
    empty = admin_client.get(reverse("campaigns:event", args=[other.pk + 1000]))
    assert empty.status_code == 404


def _texts(event):
    fresh = selectors.event_in_progress_get(pk=event.pk)
    return [action.text for action in selectors.event_next_actions(fresh)]


def test_next_actions_follow_the_events_state(make_event, add_speaker):
    draft = make_event(status=Event.Status.DRAFT)
    assert _texts(draft) == ["agenda has no speakers", "draft: publish when ready"]

    approval = make_event(registration_mode=Event.RegistrationMode.APPROVAL)
    add_speaker(approval)
    register(approval, 12, R.PENDING)
    assert _texts(approval) == ["12 registrations to approve", "no invitations sent"]
    pending = selectors.event_next_actions(selectors.event_in_progress_get(pk=approval.pk))[0]
    assert pending.url == reverse("staff:registrations", args=[approval.pk]) + "?status=pending"

    ready = make_event()
    add_speaker(ready)
    campaign(ready, status=Campaign.Status.CANCELLED)
    assert _texts(ready) == ["no invitations sent"]  # a cancelled campaign invited nobody
    campaign(ready, status=Campaign.Status.DRAFT)
    assert _texts(ready) == ["invitations drafted, not sent"]
    campaign(ready, status=Campaign.Status.SCHEDULED)
    assert _texts(ready) == []

    uninvited = make_event()
    speaker = add_speaker(uninvited)
    Participation.objects.filter(pk=speaker.pk).update(confirmation=Participation.Confirmation.INVITED)
    campaign(uninvited)
    assert _texts(uninvited) == ["1 person on the agenda not yet invited"]

    live = make_event(status=Event.Status.LIVE)
    assert _texts(live)[0] == "live now: open the console"

    over = ended(make_event)
    assert _texts(over) == ["no transcript imported", "press release not drafted"]
    Transcript.objects.create(event=over, filename="talk.vtt")
    assert _texts(over) == ["press release not drafted"]
    report = press_release(over)
    assert _texts(over) == ["press release drafted: submit it for approval"]
    Report.objects.filter(pk=report.pk).update(status=Report.Status.AWAITING_APPROVAL)
    assert _texts(over) == ["press release awaiting approval"]
    action = selectors.event_next_actions(selectors.event_in_progress_get(pk=over.pk))[0]
    assert action.url == reverse("reports:workspace", args=[over.pk]) and action.tab == "report"

    archived = ended(make_event, status=Event.Status.REPORT_PUBLISHED)
    press_release(archived, status=Report.Status.PUBLISHED)
    assert _texts(archived) == []

    forgotten = ended(make_event, status=Event.Status.DRAFT)
    assert _texts(forgotten) == ["never published: duplicate it for a new date"]


def test_dashboard_groups_events_by_stage(admin_client, make_event, add_speaker):
    now = timezone.now()
    soon = make_event(title="Soon", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2))
    later = make_event(title="Later", starts_at=now + timedelta(days=9), ends_at=now + timedelta(days=9, hours=2))
    on_air = make_event(title="On air", starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=1))
    done = ended(make_event, title="Done")
    archived = ended(make_event, title="Archived", status=Event.Status.REPORT_PUBLISHED)
    sections = selectors.dashboard_sections(now=now)
    assert [(s.stage, [row.event.title for row in s.rows]) for s in sections] == [
        (Stage.LIVE, ["On air"]),
        (Stage.UPCOMING, ["Soon", "Later"]),
        (Stage.ENDED, ["Done"]),
        (Stage.ARCHIVED, ["Archived"]),
    ]
    html = admin_client.get(reverse("staff:dashboard")).content.decode()
    headings = re.findall(r'<h2 id="stage-[a-z]+">([^<]+?) <span', html)
    assert headings == ["Live now", "Upcoming", "Ended, press release to do", "Archived: press release published"]
    for event in (soon, later, on_air, done, archived):
        assert reverse("staff:event", args=[event.pk]) in html
    # The next action is a link to where it is done.
    assert f'<a href="{reverse("reports:workspace", args=[done.pk])}">press release not drafted</a>' in html
    assert f'<a href="{reverse("live:console", args=[on_air.pk])}">live now: open the console</a>' in html


def _busy_event(make_event, add_speaker, n):
    event = make_event(title=f"Busy {n}", registration_mode=Event.RegistrationMode.APPROVAL)
    add_speaker(event)
    register(event, 2)
    register(event, 2, R.PENDING)
    campaign(event)
    campaign(event, status=Campaign.Status.DRAFT, name="Second")
    press_release(event)
    return event


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_dashboard_queries_do_not_grow_with_events(admin_client, make_event, add_speaker, django_assert_num_queries):
    _busy_event(make_event, add_speaker, 0)
    ended_event = ended(make_event)
    press_release(ended_event, status=Report.Status.AWAITING_APPROVAL)
    url = reverse("staff:dashboard")
    admin_client.get(url)
    one = _queries(admin_client, url)
    for n in range(1, 9):
        _busy_event(make_event, add_speaker, n)
        press_release(ended(make_event), status=Report.Status.AWAITING_APPROVAL)
    with django_assert_num_queries(one):
        html = admin_client.get(url).content.decode()
    assert html.count("2 registrations to approve") == 9
    assert html.count("press release awaiting approval") == 9


def test_invitations_and_overview_queries_do_not_grow(admin_client, make_event, django_assert_num_queries):
    event = make_event()
    campaign(event, name="First")
    urls = [reverse("campaigns:event", args=[event.pk]), reverse("staff:event", args=[event.pk])]
    counts = []
    for url in urls:
        admin_client.get(url)
        counts.append(_queries(admin_client, url))
    for n in range(12):
        campaign(event, name=f"Campaign {n}")
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert "Campaign 11" in admin_client.get(url).content.decode()
