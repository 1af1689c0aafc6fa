"""The live session in real browsers against a real uvicorn server: an attendee asks, the moderator
approves, the question appears on the attendee's page without reload; a poll opens, two attendees
vote, the results update; the agenda advances. A cancelled registration's join link is refused."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from podium.live.models import PollVote, Question
from podium.registrations.models import Registration
from tests.support.browser import SHOTS
from tests.support.processes import Server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(tmp_path):
    process = Server(tmp_path, redis_url="")
    process.start()
    yield f"http://127.0.0.1:{process.port}"
    process.stop()


def person(event, n, status=Registration.Status.CONFIRMED):
    return Registration.objects.create(
        event=event,
        name=f"Attendee {n}",
        email=f"a{n}@example.org",
        segment="diplomat",
        status=status,
        status_changed_at=timezone.now(),
    )


def test_two_browsers_question_poll_and_agenda_live(browser, server, make_event, add_speaker, organisation):
    start = timezone.now() - timedelta(minutes=5)
    event = make_event(
        title="Pakistan–Russia Relations",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        join_url="https://meet.jit.si/NIPS-test",
    )
    add_speaker(event, role="moderator", honorific="Brig", retired=True, given_names="Amir", family_name="Yaqub")
    add_speaker(event, role="main_speaker", order=1, honorific="Dr.", given_names="Vladimir", family_name="Kozin")
    first, second = person(event, 1), person(event, 2)
    cancelled = person(event, 3, status=Registration.Status.CANCELLED)
    get_user_model().objects.create_superuser("moderator", "m@example.org", "browser-test-pw")

    attendee = browser.new_page(viewport={"width": 1200, "height": 1000})
    attendee.goto(server + reverse("live:join", args=[first.token]))  # the link from the email
    attendee.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)
    other = browser.new_page(viewport={"width": 390, "height": 844})
    other.goto(server + reverse("live:page", args=[second.token]))
    other.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)

    console = browser.new_page(viewport={"width": 1280, "height": 1000})
    console.goto(server + reverse("staff:login"))
    console.get_by_label("Username").fill("moderator")
    console.get_by_label("Password").fill("browser-test-pw")
    console.get_by_role("button", name="Sign in").click()
    console.goto(server + reverse("live:console", args=[event.pk]))
    console.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)

    # Ask; the moderator sees it waiting, approves; both attendees see it without reload.
    attendee.get_by_label("Your question").fill("Will trade through Gwadar grow?")
    attendee.get_by_role("button", name="Send question").click()
    attendee.get_by_text("once the moderator approves it").wait_for()
    waiting = console.locator('#questions li[data-status="pending"]').filter(has_text="Gwadar")
    waiting.wait_for(timeout=5_000)
    assert other.locator("#questions li").count() == 0
    waiting.get_by_role("button", name="Approve").click()
    for page in (attendee, other):
        page.locator('#questions li[data-status="approved"]').filter(has_text="Gwadar").wait_for(timeout=5_000)
    assert Question.objects.get().status == Question.Status.APPROVED

    # A poll: prepared, opened, results shown; both vote; the results update on both pages.
    console.get_by_label("Question", exact=True).fill("Is CPEC on track?")
    console.get_by_label("Answers, one per line").fill("Yes\nNo\nToo early to say")
    console.get_by_role("button", name="Prepare poll").click()
    poll = console.locator("[data-poll]").first
    poll.wait_for(timeout=5_000)
    poll.get_by_role("button", name="Open the poll", exact=True).click()
    poll.get_by_role("button", name="Show results").click()
    for page, option in ((attendee, "Yes"), (other, "Too early to say")):
        page.locator('[data-poll][data-status="open"]').wait_for(timeout=5_000)
        page.wait_for_function(  # said once, in the page's one status region
            "() => document.getElementById('live-announce').textContent === 'Poll open: Is CPEC on track?'",
            timeout=5_000,
        )
        page.get_by_label(option).check()
        page.get_by_role("button", name="Vote", exact=True).click()
        page.get_by_text("Your vote is recorded: " + option).wait_for(timeout=5_000)
    for page in (attendee, other, console):
        counts = page.locator("[data-poll] .poll-count")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('[data-poll] .poll-count'))"
            ".map(e => e.textContent).join() === '1,0,1'",
            timeout=5_000,
        )
        assert counts.count() == 3
    assert PollVote.objects.count() == 2

    # The agenda advances on every page.
    console.get_by_role("button", name="Next speaker").click()
    attendee.locator("#agenda li.is-current").filter(has_text="Yaqub").wait_for(timeout=5_000)
    console.get_by_role("button", name="Next speaker").click()
    other.locator("#agenda li.is-current").filter(has_text="Kozin").wait_for(timeout=5_000)
    attendee.screenshot(path=SHOTS / "live-attendee.png", full_page=True)
    other.screenshot(path=SHOTS / "live-attendee-phone.png", full_page=True)
    console.screenshot(path=SHOTS / "live-console.png", full_page=True)

    # A cancelled registration's join link never reaches the room.
    refused = browser.new_page()
    response = refused.goto(server + reverse("live:join", args=[cancelled.token]))
    assert response.status == 403
    assert "was cancelled" in refused.content() and "meet.jit.si" not in refused.content()
    for page in (attendee, other, console, refused):
        page.close()


class JitsiStandIn:
    """A Jitsi server of our own on loopback: /external_api.js defines JitsiMeetExternalAPI the way
    Jitsi's does (an iframe of https://<domain>/<room>, here http), and the room page shows what it got,
    so the test sees which room and which token reached the video server."""

    SCRIPT = """
window.JitsiMeetExternalAPI = function (domain, options) {
  var frame = document.createElement("iframe");
  frame.src = "http://" + domain + "/" + options.roomName + "?jwt=" + encodeURIComponent(options.jwt || "") +
    "#name=" + encodeURIComponent(options.userInfo.displayName);
  frame.allow = "camera; microphone; display-capture; fullscreen";
  frame.title = "Video room";
  frame.style.width = options.width; frame.style.height = options.height;
  options.parentNode.appendChild(frame);
};"""

    def __init__(self):
        import http.server
        import threading

        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/external_api.js":
                    body, kind = stand_in.SCRIPT.encode(), "text/javascript"
                else:
                    stand_in.rooms.append(self.path)
                    body = (
                        f"<!doctype html><body style='background:#123;color:#fff;font:24px sans-serif'>"
                        f"<p id=room>Jitsi stand-in: {self.path.split('?')[0]}</p>"
                    ).encode()
                    kind = "text/html"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.rooms: list[str] = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_the_jitsi_room_plays_inside_the_live_page(browser, server, make_event, organisation, settings):
    from podium.video.models import VideoRoom

    jitsi = JitsiStandIn()
    start = timezone.now() - timedelta(minutes=5)
    event = make_event(title="Pakistan–Russia Relations", starts_at=start, ends_at=start + timedelta(hours=2))
    VideoRoom.objects.create(
        event=event,
        engine="jitsi",
        jitsi_server=jitsi.origin,
        room_name="NIPS-Lecture-7",
        jitsi_jwt=True,
        jitsi_jwt_secret="stand-in-secret",
        jitsi_app_id="podium",
    )
    attendee = person(event, 1)
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    try:
        response = page.goto(server + reverse("live:page", args=[attendee.token]))
        assert response.status == 200
        policy = response.headers["content-security-policy"]
        assert f"frame-src {jitsi.origin}" in policy and f"script-src 'self' {jitsi.origin}" in policy
        assert f'camera=(self "{jitsi.origin}")' in response.headers["permissions-policy"]
        assert "stand-in-secret" not in page.content()
        page.get_by_role("button", name="Watch here").click()
        room = page.frame_locator("#video-embed iframe").locator("#room")
        room.wait_for(timeout=10_000)
        assert room.text_content() == "Jitsi stand-in: /NIPS-Lecture-7"
        assert len(jitsi.rooms) == 1 and "jwt=ey" in jitsi.rooms[0]  # this attendee's own token, made now
        page.get_by_text("The video plays above").wait_for()
        page.screenshot(path=SHOTS / "live-video-embedded.png")
    finally:
        page.close()
        jitsi.close()


FOCUSED_QUESTION = (
    "() => { const li = document.activeElement && document.activeElement.closest('[data-question]');"
    " return li ? li.dataset.question : null; }"
)


@pytest.mark.parametrize("width", [1200, 320])
def test_a_keyboard_attendee_upvoting_while_updates_arrive_keeps_focus_on_the_same_question(
    browser, server, make_event, organisation, width
):
    """The issue's test: a keyboard-only attendee reaches a question's upvote button with Tab; while the
    moderator approves questions and another attendee upvotes, the list changes around them, and when
    they upvote, their question moves up. The focus stays on the same question throughout; what is
    new is said in the one status region; the list is not a live region."""
    from podium.live import services

    start = timezone.now() - timedelta(minutes=5)
    event = make_event(title="Gwadar", starts_at=start, ends_at=start + timedelta(hours=2), join_url="https://x.test/r")
    keyboard, other, asker = person(event, 1), person(event, 2), person(event, 3)
    board = []
    for n, text in enumerate(["First on the board", "Second on the board", "Third on the board"]):
        question, _ = services.question_ask(registration=asker, text=text, client_key=f"b{n}")
        board.append(services.question_approve(question=question))
    waiting = [services.question_ask(registration=asker, text=f"Waiting {n}", client_key=f"w{n}")[0] for n in range(2)]
    get_user_model().objects.create_superuser("moderator", "m@example.org", "browser-test-pw")

    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(server + reverse("live:page", args=[keyboard.token]))
    page.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)
    assert page.locator("#questions").get_attribute("aria-live") is None
    target = str(board[2].pk)  # the last question: upvoting it moves it up
    for _ in range(80):  # keyboard only: Tab until the upvote button of that question
        page.keyboard.press("Tab")
        if (
            page.evaluate("() => document.activeElement.matches('[data-upvote]')")
            and page.evaluate(FOCUSED_QUESTION) == target
        ):
            break
    else:
        raise AssertionError("Tab never reached the upvote button of the third question")
    focused = page.locator(":focus")
    assert focused.get_attribute("aria-label") == "Upvote, question from Attendee 3"

    voter = browser.new_page(viewport={"width": 320, "height": 800})
    voter.goto(server + reverse("live:page", args=[other.token]))
    voter.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)
    console = browser.new_page(viewport={"width": 1280, "height": 1000})
    console.goto(server + reverse("staff:login"))
    console.get_by_label("Username").fill("moderator")
    console.get_by_label("Password").fill("browser-test-pw")
    console.get_by_role("button", name="Sign in").click()
    console.goto(server + reverse("live:console", args=[event.pk]))
    console.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)

    # Updates arrive: approvals (new items on the board), another attendee's upvotes (items move).
    console.get_by_role("button", name="Approve, question from Attendee 3").first.wait_for()
    for question in waiting:
        console.locator(f'[data-question="{question.pk}"]').get_by_role("button", name="Approve").click()
        page.locator(f'#questions [data-question="{question.pk}"]').wait_for(timeout=5_000)
        assert page.evaluate(FOCUSED_QUESTION) == target
    page.wait_for_function(
        "() => document.getElementById('live-announce').textContent.startsWith('New question on the board')",
        timeout=5_000,
    )
    voter.locator(f'[data-question="{board[1].pk}"]').get_by_role("button", name="Upvote").click()
    page.wait_for_function(
        f"() => document.querySelector('[data-question=\"{board[1].pk}\"]').dataset.upvotes === '1'", timeout=5_000
    )
    assert page.evaluate(FOCUSED_QUESTION) == target

    # The attendee upvotes with Enter; their question moves above the ones without votes, focus with it.
    order_before = page.eval_on_selector_all("#questions > li", "items => items.map(li => li.dataset.question)")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('[data-question=\"{target}\"]').dataset.upvotes === '1'", timeout=5_000
    )
    voter.locator(f'[data-question="{target}"]').get_by_role("button", name="Upvote").click()
    page.wait_for_function(
        f"() => document.querySelector('[data-question=\"{target}\"]').dataset.upvotes === '2'", timeout=5_000
    )
    order_after = page.eval_on_selector_all("#questions > li", "items => items.map(li => li.dataset.question)")
    assert order_after.index(target) < order_before.index(target) and order_after[0] == target
    assert page.evaluate(FOCUSED_QUESTION) == target
    assert page.evaluate("() => document.activeElement.matches('[data-upvote]')")
    assert focused.get_attribute("aria-pressed") == "true"
    assert page.locator(f'[data-question="{target}"] [data-votes-words]').text_content() == "2 upvotes"
    page.screenshot(path=SHOTS / f"live-keyboard-focus-{width}.png", full_page=True)
    # The other attendee presses their upvote again: it is withdrawn, their button is no longer pressed and
    # the count falls on every page through the live event.
    again = voter.locator(f'[data-question="{target}"]').get_by_role("button", name="Upvote")
    expect(again).to_have_attribute("aria-pressed", "true")
    again.click()
    expect(again).to_have_attribute("aria-pressed", "false")
    expect(again).to_have_text("▲ Upvote")
    page.wait_for_function(
        f"() => document.querySelector('[data-question=\"{target}\"]').dataset.upvotes === '1'", timeout=5_000
    )
    assert page.locator(f'[data-question="{target}"] [data-votes-words]').text_content() == "1 upvote"
    console.screenshot(path=SHOTS / "live-console-polish.png", full_page=True)
    voter.screenshot(path=SHOTS / "live-attendee-320.png", full_page=True)
    for p in (page, voter, console):
        p.close()
