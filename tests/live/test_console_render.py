"""The moderator console shows a question the same way whether the server rendered it or the script did
from a live event: the asker's name (for moderators only), whom it is for, its state, and buttons named
with whose question they act on."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from podium.registrations.models import Registration
from tests.support.processes import Server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/h5"

READ_QUESTION = """li => ({
  meta: li.querySelector('.question-meta').innerText.replace(/\\s+/g, ' ').trim(),
  labels: Array.from(li.querySelectorAll('[aria-label]')).map(el => el.getAttribute('aria-label')),
})"""


@pytest.fixture
def server(tmp_path):
    process = Server(tmp_path, redis_url="")
    process.start()
    yield f"http://127.0.0.1:{process.port}"
    process.stop()


def test_a_question_rendered_live_reads_as_the_server_renders_it(browser, server, make_event, add_speaker):
    start = timezone.now() - timedelta(minutes=5)
    event = make_event(title="Water Security", starts_at=start, ends_at=start + timedelta(hours=2))
    add_speaker(event, role="main_speaker", honorific="Dr.", given_names="Sara", family_name="Baloch")
    ayesha = Registration.objects.create(
        event=event,
        name="Ayesha Malik",
        email="ayesha@example.org",
        segment="diplomat",
        status=Registration.Status.CONFIRMED,
        status_changed_at=timezone.now(),
    )
    get_user_model().objects.create_superuser("moderator", "m@example.org", "browser-test-pw")

    console = browser.new_page(viewport={"width": 1280, "height": 1000})
    console.goto(server + reverse("staff:login"))
    console.get_by_label("Username").fill("moderator")
    console.get_by_label("Password").fill("browser-test-pw")
    console.get_by_role("button", name="Sign in").click()
    console.goto(server + reverse("live:console", args=[event.pk]))
    console.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)
    attendee = browser.new_page()
    attendee.goto(server + reverse("live:page", args=[ayesha.token]))
    attendee.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)

    attendee.get_by_label("Your question").fill("Will the Indus treaty hold?")
    attendee.get_by_label("For (optional)").select_option(label="Dr. Sara Baloch")
    attendee.get_by_label("Don't show my name to other attendees").check()
    attendee.get_by_role("button", name="Send question").click()
    item = console.locator("#questions li").filter(has_text="Indus")
    item.locator(".question-state", has_text="Waiting for approval").wait_for(timeout=5_000)
    pending = item.evaluate(READ_QUESTION)
    assert pending["meta"].startswith(
        "Ayesha Malik Anonymous: name hidden from the audience · to Dr. Sara Baloch · Waiting for approval"
    ), pending
    assert "Approve, question from Ayesha Malik" in pending["labels"], pending

    item.get_by_role("button", name="Approve, question from Ayesha Malik").click()
    item.locator(".question-state", has_text="Approved").wait_for(timeout=5_000)
    # Every frame of the approval has arrived once a later event has: the stream keeps their order.
    console.get_by_label("To every attendee").fill("Five minutes left")
    console.get_by_role("button", name="Announce").click()
    console.locator("#announcements", has_text="Five minutes left").wait_for(timeout=5_000)
    live = item.evaluate(READ_QUESTION)
    console.screenshot(path=f"{SHOTS}/console-question-live.png", full_page=True)

    console.reload()
    console.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)
    served = console.locator("#questions li").filter(has_text="Indus").evaluate(READ_QUESTION)
    assert live == served
    assert served["meta"].startswith(
        "Ayesha Malik Anonymous: name hidden from the audience · to Dr. Sara Baloch · Approved"
    ), served
    for label in ("Answer now", "Answered", "Edit", "Save", "Dismiss"):
        assert f"{label}, question from Ayesha Malik" in served["labels"]
    assert not any("null" in label for label in served["labels"])
    assert not re.match(r"^\s*·", served["meta"])
    console.close()
    attendee.close()


def test_ending_the_session_takes_the_ticked_box_alone_and_says_so_once(browser, server, make_event):
    start = timezone.now() - timedelta(minutes=5)
    event = make_event(title="Water Security", starts_at=start, ends_at=start + timedelta(hours=2))
    get_user_model().objects.create_superuser("moderator", "m@example.org", "browser-test-pw")
    console = browser.new_page(viewport={"width": 1280, "height": 1000})
    dialogs = []
    console.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    console.goto(server + reverse("staff:login"))
    console.get_by_label("Username").fill("moderator")
    console.get_by_label("Password").fill("browser-test-pw")
    console.get_by_role("button", name="Sign in").click()
    console.goto(server + reverse("live:console", args=[event.pk]))
    console.locator('#live-status[data-state="live"]').wait_for(timeout=10_000)

    console.get_by_label("Yes, end the session for everyone").check()
    console.get_by_role("button", name="End the session").click()
    console.locator('#live-status[data-state="ended"]').wait_for(timeout=5_000)
    assert dialogs == []
    assert console.locator("#session-ended").is_visible()
    assert console.evaluate("document.activeElement.id") == "session-ended"
    console.screenshot(path=f"{SHOTS}/console-ended.png", full_page=True)
    event.live.refresh_from_db()
    assert event.live.ended_at is not None
    # Said once (checked after the screenshot, long after any 50 ms announcement would have landed): the
    # focus lands on the banner, which a screen reader reads, and the status region stays quiet.
    assert console.evaluate("document.body.innerText").count("The session has ended") == 1
    assert "ended" not in console.locator("#live-announce").text_content()
    console.close()


def test_the_console_counts_questions_waiting_in_english_as_they_change(browser, server, make_event):
    from podium.live.models import Question

    event = make_event(title="Water Security")
    get_user_model().objects.create_superuser("moderator", "m@example.org", "browser-test-pw")
    console = browser.new_page()
    console.goto(server + reverse("staff:login"))
    console.get_by_label("Username").fill("moderator")
    console.get_by_label("Password").fill("browser-test-pw")
    console.get_by_role("button", name="Sign in").click()
    console.goto(server + reverse("live:console", args=[event.pk]))
    waiting = console.locator("ul.counts li", has_text="waiting")
    assert waiting.inner_text() == "0 questions waiting"
    for n, words in ((1, "1 question waiting"), (2, "2 questions waiting")):
        Question.objects.create(event=event, asker_name=f"Asker {n}", text=f"Question {n}?", client_key=f"k{n}")
        console.wait_for_function(  # the console asks for its counts every few seconds
            f"() => document.querySelector('[data-count=\"pending\"]').textContent === '{n}'", timeout=15_000
        )
        assert waiting.inner_text() == words
    console.close()


def test_buttons_are_named_for_what_they_act_on(browser, server, make_event, add_speaker):
    """Accessible names as a screen reader gets them (Chromium's computation), also once a script has
    redrawn the rows: no stray space before a colon, two "Open" buttons told apart."""
    from podium.live import services as live_services

    event = make_event(title="Water Security")
    add_speaker(event, role="moderator", honorific="Dr.", given_names="Sara", family_name="Baloch")
    add_speaker(event, role="main_speaker", order=1, given_names="Omar", family_name="Khan")
    live_services.poll_create(event=event, question="On track?", options=["Yes", "No"])
    get_user_model().objects.create_superuser("moderator", "m@example.org", "browser-test-pw")
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(server + reverse("staff:login"))
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()

    page.goto(server + reverse("staff:agenda", args=[event.pk]))
    for name in ("Down: Dr. Sara Baloch", "Up: Omar Khan", "Remove: Dr. Sara Baloch", "Set role: Omar Khan"):
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name
    page.get_by_role("button", name="Down: Dr. Sara Baloch", exact=True).click()  # the rows are redrawn
    page.locator("#agenda-announce", has_text="moved to position 2").wait_for(timeout=5_000)
    for name in ("Up: Dr. Sara Baloch", "Down: Omar Khan"):
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name

    page.goto(server + reverse("live:console", args=[event.pk]))
    assert page.get_by_role("button", name="Show open questions", exact=True).count() == 1
    assert page.get_by_role("button", name="Open the poll", exact=True).count() == 1
    assert page.get_by_role("button", name="Open", exact=True).count() == 0
    page.close()
