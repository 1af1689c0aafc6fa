"""The public archive: a past event's press release and attachments, the Atom feed and the schema.org data."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.events.models import Attachment, Event, Role
from podium.reports.models import Report, ReportVersion

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def past_event(make_event, days_ago: int = 30, **fields) -> Event:
    start = (timezone.now() - timedelta(days=days_ago)).replace(second=0, microsecond=0)
    fields.setdefault("status", Event.Status.ENDED)
    return make_event(starts_at=start, ends_at=start + timedelta(hours=2), **fields)


def draft_version(report: Report, headline: str, body: str) -> ReportVersion:
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report, number=number, headline=headline, body=body, change=f"Version {number}"
    )
    report.current_version = version
    report.save()
    return version


def publish(
    event: Event,
    headline: str = "NIPS held a webinar",
    body: str = "First paragraph.\n\nSecond paragraph.",
    published_at=None,
) -> Report:
    report, _ = Report.objects.get_or_create(event=event)
    version = draft_version(report, headline, body)
    report.published_version = version
    report.published_at = published_at or timezone.now()
    report.status = Report.Status.PUBLISHED
    report.save()
    return report


def attach(event: Event, kind: str, title: str, url: str = "", order: int = 0) -> Attachment:
    return Attachment.objects.create(
        event=event, kind=kind, title=title, url=url or f"https://example.org/{order}", order=order
    )


def page(client, event: Event) -> str:
    response = client.get(reverse("public:event", args=[event.slug]))
    assert response.status_code == 200
    return response.content.decode()


def report_section(html: str) -> str:
    start = html.index('<section id="report"')
    return html[start : html.index("</section>", start)]


def json_ld(html: str) -> dict:
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def feed(client) -> ET.Element:
    response = client.get(reverse("reports_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def count_queries(client, url: str) -> int:
    client.get(url)  # warm the per-process organisation cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


# The event page -------------------------------------------------------------------------------------------


def test_event_page_shows_the_published_report_and_attachments(client, organisation, make_event):
    event = past_event(make_event)
    publish(
        event,
        headline="Experts discuss Pakistan–Russia relations",
        body="NIPS held a webinar on relations.\n\nThe speakers agreed\non cooperation.",
        published_at=timezone.now().replace(hour=5, minute=0, second=0, microsecond=0),
    )
    attach(event, Attachment.Kind.SLIDES, "Main speaker's slides", "https://example.org/slides.pdf", order=2)
    attach(event, Attachment.Kind.RECORDING, "Full webinar", "https://video.example.org/webinar", order=1)
    attach(event, Attachment.Kind.LINK, "Background paper", "https://example.org/paper", order=3)

    html = page(client, event)
    section = report_section(html)
    assert '<h2 id="report-heading">Experts discuss Pakistan–Russia relations</h2>' in section
    assert "<p>NIPS held a webinar on relations.</p>" in section
    assert "<p>The speakers agreed on cooperation.</p>" in section  # a single line break is a space
    assert "10:00 PKT (UTC+05:00)" in section  # 05:00 UTC, written in the event's zone with the zone
    for fmt, label in (("html", "Web page"), ("md", "Markdown"), ("docx", "Word document"), ("pdf", "PDF")):
        assert f'href="{reverse("reports:public_export", args=[event.slug, fmt])}"' in section
        assert label in section
    assert '<a class="button button-watch" href="https://video.example.org/webinar">Watch the recording</a>' in html
    materials = html[html.index('id="materials-heading"') :]
    assert materials.index("Main speaker&#x27;s slides") < materials.index("Background paper")
    assert '<span class="material-kind">Slides</span> <a href="https://example.org/slides.pdf">' in materials
    assert '<span class="material-kind">Link</span> <a href="https://example.org/paper">' in materials
    assert "not yet published" not in html


def test_a_newer_draft_and_an_unpublished_report_stay_hidden(client, organisation, make_event):
    published = past_event(make_event)
    report = publish(published, headline="The published headline", body="Published text.")
    draft_version(report, "A newer draft headline", "Unapproved wording.")
    html = page(client, published)
    assert "The published headline" in html and "Published text." in html
    assert "A newer draft headline" not in html and "Unapproved wording." not in html

    unpublished = past_event(make_event)
    draft_version(Report.objects.create(event=unpublished), "Draft only", "Not for the public.")
    section = report_section(page(client, unpublished))
    assert "The report of this event is not yet published." in section
    assert "Draft only" not in section and "Not for the public." not in section
    assert "press-release." not in section  # no download links


def test_nothing_of_the_report_for_an_event_the_visitor_cannot_see(client, admin_client, organisation, make_event):
    invited_only = past_event(make_event, visibility=Event.Visibility.INVITATION_ONLY)
    draft = past_event(make_event, status=Event.Status.DRAFT)
    unlisted = past_event(make_event, visibility=Event.Visibility.UNLISTED)
    for event in (invited_only, draft, unlisted):
        publish(event, headline=f"Report of {event.slug}", body=f"Text of {event.slug}.")
        attach(event, Attachment.Kind.RECORDING, "Recording", f"https://video.example.org/{event.slug}")
    for event in (invited_only, draft):
        response = client.get(reverse("public:event", args=[event.slug]))
        assert response.status_code == 404
        body = response.content.decode()
        assert f"Report of {event.slug}" not in body and f"video.example.org/{event.slug}" not in body
    assert f"Report of {unlisted.slug}" in page(client, unlisted)  # anyone with the link
    assert f"Report of {draft.slug}" in page(admin_client, draft)  # staff preview


def test_attribution_notes_and_no_recording_unless_on_the_record(client, organisation, make_event):
    chatham = past_event(make_event, attribution=Event.Attribution.CHATHAM_HOUSE)
    publish(chatham, body="Participants said relations were improving.")
    off = past_event(make_event, attribution=Event.Attribution.OFF_THE_RECORD)
    publish(off, body="NIPS held an off-the-record roundtable.")
    for event in (chatham, off):
        attach(event, Attachment.Kind.RECORDING, "Recording", f"https://video.example.org/{event.slug}")
        attach(event, Attachment.Kind.DOCUMENT, "Agenda", "https://example.org/agenda.pdf", order=1)

    chatham_html = page(client, chatham)
    assert "Chatham House Rule, and the report follows it" in report_section(chatham_html)
    off_html = page(client, off)
    assert "The discussion was off the record." in report_section(off_html)
    for event, html in ((chatham, chatham_html), (off, off_html)):
        assert "Watch the recording" not in html and f"video.example.org/{event.slug}" not in html
        assert '<span class="material-kind">Document</span>' in html


def test_upcoming_event_has_no_archive_section(client, organisation, make_event):
    event = make_event()
    attach(event, Attachment.Kind.RECORDING, "Recording", "https://video.example.org/early")
    html = page(client, event)
    assert 'id="report"' not in html and "Watch the recording" not in html and "Add to calendar" in html


def test_a_published_report_shows_even_before_the_scheduled_end(client, organisation, make_event):
    # Staff may end an event early and publish at once: what they published is shown.
    event = make_event(status=Event.Status.REPORT_PUBLISHED)
    publish(event, headline="Published early")
    attach(event, Attachment.Kind.RECORDING, "Recording", "https://video.example.org/early")
    html = page(client, event)
    assert "Published early" in report_section(html) and "Watch the recording" in html
    assert "Add to calendar" not in html


def test_past_event_cards_show_press_release_and_recording_badges(client, organisation, make_event):
    both = past_event(make_event, title="With both")
    publish(both)
    attach(both, Attachment.Kind.RECORDING, "Recording")
    past_event(make_event, title="With nothing")
    chatham = past_event(make_event, title="Chatham recording", attribution=Event.Attribution.CHATHAM_HOUSE)
    attach(chatham, Attachment.Kind.RECORDING, "Recording")
    unpublished = past_event(make_event, title="Draft report")
    draft_version(Report.objects.create(event=unpublished), "Draft", "Draft.")

    html = client.get(reverse("public:home")).content.decode()
    cards = {
        title: html[html.index(title) :].split("</article>")[0]
        for title in ("With both", "With nothing", "Chatham recording", "Draft report")
    }
    assert "Press release</span>" in cards["With both"] and "Recording</span>" in cards["With both"]
    for title in ("With nothing", "Chatham recording", "Draft report"):
        assert "badge-archive" not in cards[title]


def test_event_page_queries_do_not_grow_with_attachments_and_speakers(
    client, organisation, make_event, add_speaker, django_assert_num_queries
):
    small, large = past_event(make_event), past_event(make_event)
    add_speaker(small, Role.MAIN_SPEAKER)
    publish(small)
    attach(small, Attachment.Kind.RECORDING, "Recording")
    attach(small, Attachment.Kind.SLIDES, "Slides", order=1)
    for n in range(15):
        add_speaker(large, Role.DISCUSSANT, order=n, designations=[("Fellow", "NIPS", True), ("Adviser", "MoFA", True)])
        attach(large, Attachment.Kind.SLIDES if n % 2 else Attachment.Kind.RECORDING, f"Item {n}", order=n)
    publish(large, body="\n\n".join(f"Paragraph {n}." for n in range(30)))
    few = count_queries(client, reverse("public:event", args=[small.slug]))
    with django_assert_num_queries(few):
        assert client.get(reverse("public:event", args=[large.slug])).status_code == 200


def test_home_page_queries_do_not_grow_with_badges(client, organisation, make_event, django_assert_num_queries):
    event = past_event(make_event)
    publish(event)
    attach(event, Attachment.Kind.RECORDING, "Recording")
    few = count_queries(client, reverse("public:home"))
    for n in range(8):
        event = past_event(make_event, days_ago=40 + n)
        publish(event)
        attach(event, Attachment.Kind.RECORDING, "Recording")
    with django_assert_num_queries(few):
        client.get(reverse("public:home"))


# The Atom feed --------------------------------------------------------------------------------------------


def test_feed_lists_published_reports_of_listed_events_newest_first(client, organisation, series, make_event):
    now = timezone.now()
    older = past_event(make_event, days_ago=60, title="Older")
    newer = past_event(make_event, days_ago=50, title="Newer")
    publish(older, headline="Older report", published_at=now - timedelta(days=20))
    publish(newer, headline="Newer report", published_at=now - timedelta(days=2))
    hidden = {
        "unlisted": past_event(make_event, visibility=Event.Visibility.UNLISTED),
        "invitation only": past_event(make_event, visibility=Event.Visibility.INVITATION_ONLY),
        "draft event": past_event(make_event, status=Event.Status.DRAFT),
    }
    for label, event in hidden.items():
        publish(event, headline=f"Hidden: {label}")
    draft_version(Report.objects.create(event=past_event(make_event)), "Hidden: never published", "Draft.")

    root = feed(client)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "NUST Institute of Policy Studies: press releases"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "NUST Institute of Policy Studies"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Newer report", "Older report"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/events/{newer.slug}/#report"
    assert entry.find(f"{ATOM}id").text == f"urn:uuid:{newer.uid}"
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert entry.find(f"{ATOM}content").text == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    assert entry.find(f"{ATOM}summary").text == "First paragraph."
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "NUST Institute of Policy Studies"
    assert entry.find(f"{ATOM}category").get("term") == series.name
    published = Report.objects.get(event=newer).published_at
    assert datetime.fromisoformat(entry.find(f"{ATOM}published").text) == published
    assert datetime.fromisoformat(entry.find(f"{ATOM}updated").text) == published


def test_feed_escapes_html_and_holds_only_the_published_text(client, organisation, make_event):
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    event = past_event(make_event, attribution=Event.Attribution.OFF_THE_RECORD)
    report = publish(event, headline=hostile, body=f"NIPS held a roundtable. {hostile}")
    draft_version(report, "Secret draft headline", "Who said what, off the record.")

    response = client.get(reverse("reports_feed"))
    raw = response.content.decode()
    assert "<script" not in raw and "<b>" not in raw
    assert "Secret draft" not in raw and "Who said what" not in raw
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == hostile
    # The content is HTML: the text was escaped once as HTML, and the XML reader undid only the XML layer.
    content = entry.find(f"{ATOM}content").text
    assert content == (
        "<p>NIPS held a roundtable. &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>"
    )


def test_feed_holds_at_most_fifty_entries(client, organisation, make_event):
    for n in range(51):
        publish(
            past_event(make_event, days_ago=100 + n),
            headline=f"Report {n}",
            published_at=timezone.now() - timedelta(days=n),
        )
    titles = [e.find(f"{ATOM}title").text for e in feed(client).findall(f"{ATOM}entry")]
    assert len(titles) == 50 and titles[0] == "Report 0" and "Report 50" not in titles


def test_feed_queries_do_not_grow_with_reports(client, organisation, make_event, django_assert_num_queries):
    publish(past_event(make_event))
    few = count_queries(client, reverse("reports_feed"))
    for n in range(12):
        publish(past_event(make_event, days_ago=40 + n), body="\n\n".join(["Text."] * 5))
    with django_assert_num_queries(few):
        client.get(reverse("reports_feed"))


def test_home_and_event_pages_announce_the_feed(client, organisation, make_event):
    link = f'<link rel="alternate" type="application/atom+xml" href="{reverse("reports_feed")}"'
    assert link in client.get(reverse("public:home")).content.decode()
    assert link in page(client, make_event())


# schema.org JSON-LD ---------------------------------------------------------------------------------------


def test_json_ld_describes_the_event(client, organisation, series, make_event, add_speaker):
    event = make_event(abstract="A webinar on relations.", join_url="https://meet.example.org/secret-room-42")
    add_speaker(
        event,
        Role.MODERATOR,
        order=1,
        given_names="Amir",
        family_name="Yaqub",
        honorific="Brig",
        designations=[("Director", "NIPS", False)],
    )
    add_speaker(
        event,
        Role.MAIN_SPEAKER,
        order=2,
        given_names="Vladimir",
        family_name="Kozin",
        designations=[("Leading Expert", "Center for Military-Political Studies", True)],
    )
    add_speaker(event, Role.RAPPORTEUR, order=3, family_name="Writer")

    html = page(client, event)
    assert "secret-room-42" not in html
    data = json_ld(html)
    url = f"http://testserver/events/{event.slug}/"
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == event.title and data["description"] == "A webinar on relations."
    assert data["startDate"] == event.starts_at.astimezone(event.zone).isoformat()
    assert data["startDate"].endswith("+05:00") and data["endDate"].endswith("+05:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": url}
    assert data["url"] == url
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "NUST Institute of Policy Studies",
        "url": "http://testserver/",
    }
    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Amir Yaqub",
            "honorificPrefix": "Brig",
            "jobTitle": "Director",
            "affiliation": [{"@type": "Organization", "name": "NIPS"}],
        },
        {
            "@type": "Person",
            "name": "Vladimir Kozin",
            "jobTitle": "Leading Expert",
            "affiliation": [{"@type": "Organization", "name": "Center for Military-Political Studies"}],
        },
    ]
    assert data["isAccessibleForFree"] is True
    assert data["superEvent"] == {
        "@type": "EventSeries",
        "name": series.name,
        "url": f"http://testserver/series/{series.slug}/",
    }


def test_json_ld_places_hybrid_and_in_person_events(client, organisation, make_event):
    hybrid = make_event(
        format=Event.Format.HYBRID,
        location="NIPS Conference Room, Islamabad",
        join_url="https://meet.example.org/hybrid-room",
        series=None,
    )
    data = json_ld(page(client, hybrid))
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"] == [
        {"@type": "VirtualLocation", "url": f"http://testserver/events/{hybrid.slug}/"},
        {"@type": "Place", "name": "NIPS Conference Room, Islamabad", "address": "NIPS Conference Room, Islamabad"},
    ]
    assert "superEvent" not in data and "hybrid-room" not in json.dumps(data)

    in_person = make_event(format=Event.Format.IN_PERSON, location="NUST H-12, Islamabad")
    data = json_ld(page(client, in_person))
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {"@type": "Place", "name": "NUST H-12, Islamabad", "address": "NUST H-12, Islamabad"}


def test_json_ld_cannot_be_broken_out_of(client, organisation, make_event):
    hostile = '</script><script>alert(1)</script><!-- & "quoted"'
    event = make_event(title=hostile, abstract="<b>bold</b> & more")
    html = page(client, event)
    block = JSON_LD.findall(html)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003c/script\\u003e" in block
    data = json.loads(block)
    assert data["name"] == hostile and data["description"] == "<b>bold</b> & more"
    assert "<script>alert(1)" not in html


def test_staff_add_attachments_in_the_admin(admin_client, organisation, make_event):
    event = past_event(make_event)
    add = reverse("admin:events_attachment_add")
    assert "A recording is shown only for events held on the record." in admin_client.get(add).content.decode()
    response = admin_client.post(
        add,
        {"event": event.pk, "kind": "recording", "title": "Full webinar", "url": "video.example.org/full", "order": 0},
    )
    assert response.status_code == 302
    assert Attachment.objects.get(event=event).url == "https://video.example.org/full"
    refused = admin_client.post(add, {"event": event.pk, "kind": "slides", "title": "Nothing", "order": 1})
    assert refused.status_code == 200 and "Give a link or upload a file." in refused.content.decode()


def test_the_event_admin_edits_attachments_inline(admin_client, organisation, make_event):
    event = past_event(make_event)
    attach(event, Attachment.Kind.SLIDES, "Speaker slides")
    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert 'name="attachments-TOTAL_FORMS"' in html and "Speaker slides" in html
