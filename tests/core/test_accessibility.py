"""Every page of the demo in a real browser: axe-core finds no serious or critical accessibility violation,
at a desk (1280 px) and on a 320 px phone, and no page scrolls sideways on the phone.

The pages are not listed by hand: every pattern of the URL conf is filled from the demo's objects (a rule
per parameter, chosen by where the pattern lives), asked for with GET (staff pages as staff, the others
as nobody), and every one that answers an HTML page is visited. A new page is so visited without anyone
remembering it; a pattern whose parameters no rule can fill fails the test until a rule is added."""

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from podium.audience.selectors import DirectoryFilter
from podium.audience.services import saved_audience_create, unsubscribe_token
from podium.campaigns.models import InvitationTemplate
from podium.campaigns.services import campaign_save
from podium.demo.loader import demo_live_now
from podium.events.models import Event, Participation, Series
from podium.imports.services import contact_import_create
from podium.imports.spreadsheet import spreadsheet_read
from podium.mail.models import Message
from podium.people.models import Person
from podium.registrations.models import Invitation, Registration
from podium.reports.models import Point, ReportVersion
from podium.reports.services import transcript_import
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
BLOCKING = {"serious", "critical"}

# Patterns deliberately not asked for, with the reason. Everything else is asked for with GET.
EXCLUDED = {
    "admin": "Django's own admin site (its templates are Django's, not Podium's)",
    "media/": "uploaded files served as they are (PODIUM_SERVE_MEDIA)",
    "live:stream": "an event stream (text/event-stream) the live page reads",
    "live:speaker_stream": "an event stream (text/event-stream) the speaker's page reads",
    "live:console_stream": "an event stream (text/event-stream) the console reads",
    "live:video_json": "JSON the live page polls for the video room",
    "live:speaker_video_json": "JSON the speaker's page polls for the video room",
    "staff:message_body": "an email's HTML as sent, sandboxed (no script runs) in a frame of the message page",
    "campaigns:preview_body": "an email's HTML as sent, sandboxed (no script runs) in a frame of the campaign page",
    "video:bbb_ended": "BigBlueButton's callback when a meeting ends, signed by the server",
}


def excluded(name: str, route: str) -> str | None:
    return EXCLUDED.get(name) or EXCLUDED.get(name.split(":")[0]) or EXCLUDED.get(route.split("/")[0] + "/")


# Pages under staff/ that are for those not signed in.
ANONYMOUS = {"staff:login"}

# Patterns worth a visit with more than one of the demo's events: the published press release on the
# past event's page, the approval-mode roundtable's registration form.
VARIANTS = {
    "public:event": ("pakistan-russia-relations", "cpec-second-phase-roundtable"),
    "registrations:register": ("cpec-second-phase-roundtable",),
}

# Pages that scrolled sideways on a phone (issue 13, item 6, and the first run of this test): screenshots to look at.
SHOWN = {"public:home", "staff:registrations", "audience:people", "live:console", "reports:workspace"}

# What the GET of a pattern that is not a page may answer, and what that answer means.
NOT_A_PAGE = {405: "POST only", 302: "a redirect", 301: "a redirect"}


@dataclass(frozen=True)
class Demo:
    past: Event
    upcoming: Event
    series: Series
    person: Person
    participation: Participation
    registration: Registration
    invitation: Invitation
    values: dict  # everything else by name


def demo_objects() -> Demo:
    """The demo's objects, its upcoming webinar live now (the live pages and the console in their
    fullest state), and the few things a staff member would have made by now (a campaign, an import, a
    transcript, a saved audience, an invitation), made through the services."""
    demo_live_now()
    past = Event.objects.get(slug="pakistan-russia-relations")
    upcoming = Event.objects.get(slug="pakistan-central-asia-connectivity")
    participation = upcoming.participations.select_related("person").order_by("order").first()
    assert participation is not None
    registration = upcoming.registrations.filter(status="confirmed").order_by("pk").first()
    assert registration is not None
    person = participation.person
    invitation = Invitation.objects.create(event=upcoming, person=person, email="invited@example.org", name="Guest")
    campaign = campaign_save(
        event=upcoming, name="Invitations", subject="Invitation", body="Dear {{ recipient_name }}", segments=["expert"]
    )
    template = InvitationTemplate.objects.order_by("pk").first()
    csv = Path(__file__).resolve().parents[2] / "podium" / "imports" / "demo" / "nips-contacts.csv"
    contact_import = contact_import_create(
        file_name="nips-contacts.csv", sheet=spreadsheet_read(name="nips-contacts.csv", data=csv.read_bytes())
    )
    sample = Path(__file__).resolve().parents[2] / "podium" / "reports" / "demo"
    transcript = transcript_import(
        event=upcoming, filename="zoom.vtt", data=next(sample.glob("*.vtt")).read_bytes(), user=None
    )
    audience = saved_audience_create(name="Scholars", directory_filter=DirectoryFilter(segment="expert"))
    message = Message.objects.order_by("pk").first()
    point = Point.objects.filter(event=past).order_by("pk").first()
    note = past.live_notes.order_by("pk").first()
    version = ReportVersion.objects.filter(report__event=past).order_by("number").first()
    assert all(x is not None for x in (template, message, point, note, version))
    return Demo(
        past=past,
        upcoming=upcoming,
        series=upcoming.series,
        person=person,
        participation=participation,
        registration=registration,
        invitation=invitation,
        values=dict(
            campaign=campaign,
            template=template,
            contact_import=contact_import,
            transcript=transcript,
            audience=audience,
            message=message,
            point=point,
            note=note,
            version=version,
        ),
    )


def patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every pattern of the URL conf, routes in full."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace else str(entry.name)), route


class NoRule(Exception):
    pass


def fill(route: str, demo: Demo) -> str:
    """The route with each parameter replaced by a value from the demo, chosen by where the route lives."""
    event = demo.past if "/report" in route or "press-release" in route else demo.upcoming
    v = demo.values

    def value(match: re.Match) -> str:
        name = match.group("name")
        before = route[: match.start()]
        if name == "pk":
            for head, obj in (
                ("staff/events/", event),
                ("staff/live/", event),
                ("staff/series/", demo.series),
                ("staff/campaigns/templates/", v["template"]),
                ("staff/campaigns/", v["campaign"]),
                ("staff/imports/", v["contact_import"]),
                ("staff/people/", demo.person),
                ("staff/audiences/", v["audience"]),
                ("staff/outbox/", v["message"]),
            ):
                if before.startswith(head) and before.count("<") == 0:
                    return str(obj.pk)
            if "/questions/" in before:
                return str(v["point"].pk)  # no such question: the action is POST only and refuses first
            if "/polls/" in before:
                return "1"
        if name == "participation_pk":
            return str(event.participations.order_by("order").first().pk)
        if name == "registration_pk":
            return str(event.registrations.order_by("pk").first().pk)
        if name in ("point_pk", "question_pk"):
            return str(v["point"].pk)
        if name == "note_pk":
            return str(v["note"].pk)
        if name == "transcript_pk":
            return str(v["transcript"].pk)
        if name == "number":
            return str(v["version"].number)
        if name == "uid":
            return str(uuid.uuid4())
        if name == "fmt":
            return "pdf"
        if name == "action":
            return "approve"
        if name == "slug":
            if before.startswith("series/"):
                return demo.series.slug
            if before.startswith("speakers/"):
                return str(demo.person.slug)
            if before.startswith("events/"):
                return event.slug
        if name == "token":
            for head, token in (
                ("r/", demo.registration.manage_token),
                ("i/", demo.invitation.token),
                ("u/", unsubscribe_token(person=demo.person)),
                ("speak/", demo.participation.token),
                ("j/s/", demo.participation.token),
                ("live/s/", demo.participation.token),
                ("j/", demo.registration.token),
                ("live/", demo.registration.token),
                ("video/", "not-a-token"),
            ):
                if before.startswith(head):
                    return token
        raise NoRule(f"no rule fills <{match.group(0)}> of {route!r}: add one to fill() in {__name__}")

    return "/" + re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", value, route)


def is_document(response) -> bool:
    return response.content.lstrip()[:15].lower() == b"<!doctype html>"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    staff: bool


def survey(demo: Demo, staff_client: Client) -> tuple[list[Page], dict[str, str]]:
    """Every pattern asked for with GET: the HTML pages, and what the others are (name -> reason)."""
    pages, others, problems = [], {}, []
    for name, route in patterns():
        reason = excluded(name, route)
        if reason:
            others[name] = reason
            continue
        try:
            url = fill(route, demo)
        except NoRule as refusal:
            problems.append(str(refusal))
            continue
        staff = route.startswith("staff/") and name not in ANONYMOUS
        response = (staff_client if staff else Client()).get(url)
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and kind.startswith("text/html") and not is_document(response):
            others[name] = "an HTML fragment a page fetches into itself"
        elif response.status_code == 200 and kind.startswith("text/html"):
            pages.append(Page(name, url, staff))
            for slug in VARIANTS.get(name, ()):
                pages.append(Page(name, url.replace(demo.upcoming.slug, slug), staff))
        elif response.status_code in NOT_A_PAGE:
            others[name] = NOT_A_PAGE[response.status_code]
        elif response.status_code == 200:
            others[name] = kind.split(";")[0]
        else:
            problems.append(f"{name} {url} answers {response.status_code} to GET: a rule of fill() gives a wrong value")
        if hasattr(response, "close"):
            response.close()
    assert not problems, "\n".join(problems)
    return pages, others


@pytest.fixture
def demo(demo_site):
    return demo_objects()


@pytest.fixture
def staff_client(demo_site):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="staff"))
    return client


def test_every_url_pattern_is_a_page_visited_or_is_not_a_page(demo, staff_client):
    """The crawl below covers every pattern that answers HTML to GET; the others answer something else."""
    pages, others = survey(demo, staff_client)
    names = {page.name for page in pages}
    # The crawl reaches the public, personal-link and staff pages (a sanity check of the rules).
    for expected in (
        "public:home",
        "public:event",
        "public:series",
        "public:person",
        "search:results",
        "registrations:manage",
        "campaigns:accept",
        "campaigns:unsubscribe",
        "events:speaker",
        "live:page",
        "live:speaker_page",
        "live:console",
        "staff:dashboard",
        "staff:event_edit",
        "audience:people",
        "reports:workspace",
        "reports:version",
        "staff:login",
    ):
        assert expected in names, f"{expected} is not among the pages visited: {sorted(names)}"
    # Files and streams are not pages: calendars, images, exports, JSON, the feed.
    for name in ("public:ics", "public:share_image", "reports:public_export", "campaigns:progress", "reports_feed"):
        assert name in others and "html" not in others[name], (name, others.get(name))
    assert "staff:logout" in others and others["staff:logout"] == "POST only"


def axe_problems(page, axe) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:6]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def sideways(page) -> str | None:
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width <= window:
        return None
    culprits = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +"
        " (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))"
    )
    return f"{width}px wide in a {window}px window: {culprits}"


def test_no_serious_accessibility_violation_and_no_sideways_scroll_on_any_page(browser, demo, staff_client, demo_site):
    from axe_playwright_python.sync_playwright import Axe

    pages, _ = survey(demo, staff_client)
    axe = Axe()
    origin = demo_site

    def open_context(staff: bool):
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, timezone_id="Europe/London")
        # Only our own server: the embedded video rooms and the like are somebody else's pages. The live
        # streams are left closed too: the test server (WSGI) cannot hold them open, and the pages show
        # the same markup without them.
        context.route(re.compile(r"^(?!" + re.escape(origin) + ")https?://"), lambda route: route.abort())
        context.route(re.compile(r"/stream/$"), lambda route: route.abort())
        tab = context.new_page()
        if staff:
            tab.goto(origin + "/staff/login/")
            tab.get_by_label("Username").fill("staff")
            tab.get_by_label("Password").fill("browser-test-pw")
            tab.get_by_role("button", name="Sign in").click()
            tab.wait_for_url(re.compile(r"/staff/$"))
        return tab

    tabs = {False: open_context(False), True: open_context(True)}
    failures = []
    shots = SHOTS / "a11y"
    shots.mkdir(exist_ok=True)
    for width in WIDTHS:
        for tab in tabs.values():
            tab.set_viewport_size({"width": width, "height": 900 if width > 500 else 640})
        for page in pages:
            tab = tabs[page.staff]
            tab.goto(origin + page.url, wait_until="load")
            for problem in axe_problems(tab, axe):
                failures.append(f"{width}px {page.url} ({page.name}): {problem}")
            if width == 320:
                wide = sideways(tab)
                if wide:
                    failures.append(f"320px {page.url} ({page.name}) scrolls sideways: {wide}")
                if wide or page.name in SHOWN:
                    tab.screenshot(path=shots / f"{page.name.replace(':', '-')}-320.png", full_page=True)
    for tab in tabs.values():
        tab.context.close()
    assert not failures, f"{len(failures)} problems on {len(pages)} pages:\n" + "\n".join(failures)


def test_after_a_failed_submit_focus_is_on_the_error_summary_and_its_links_focus_the_fields(browser, demo_site):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(demo_site + "/events/pakistan-central-asia-connectivity/register/")
    page.get_by_role("button", name=re.compile("Register")).click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.hasAttribute('data-error-summary')")
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')")
    assert page.title().startswith("Error: "), page.title()  # said first by a screen reader
    # The two-tone focus ring: a dark outline around a white ring.
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow]; })()"
    )
    assert ring[:3] == ["solid", "rgb(29, 36, 40)", "3px"] and "rgb(255, 255, 255)" in ring[3], ring
    page.screenshot(path=SHOTS / "a11y-error-summary-320.png", full_page=True)
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")[1:]
    first.click()
    page.wait_for_function(f"document.activeElement && document.activeElement.id === {target!r}")
    assert sideways(page) is None
    context.close()
