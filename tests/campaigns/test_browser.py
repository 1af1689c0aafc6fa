"""As a newcomer would, in a real browser on the demo, with the real worker process running:
import the demo contacts (see the row errors, import the good rows), send an invitation campaign
for the upcoming event to two segments, accept one invitation from the received email, and see
the registration and the reminder schedule."""

import re

import pytest
from django.contrib.auth import get_user_model

from podium.campaigns.models import Campaign
from podium.demo.loader import demo_load
from podium.events.models import Event
from podium.mail.models import Message
from podium.people.models import Person
from podium.registrations.models import Invitation, Registration
from tests.support.browser import SHOTS
from tests.support.processes import start_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = "Pakistan and Central Asia: Connectivity, Trade and Security"


@pytest.fixture
def worker(live_server, tmp_path):
    process = start_worker(tmp_path / "worker", PODIUM_SITE_URL=live_server.url, PODIUM_CAMPAIGN_BATCH_PAUSE=0)
    yield process
    process.terminate()
    process.wait(10)


def test_newcomer_imports_invites_two_segments_and_an_invitee_accepts(browser, live_server, settings, worker):
    settings.SITE_URL = live_server.url
    demo_load()
    user = get_user_model().objects.get(username="staff")
    user.set_password("browser-test-pw")
    user.save()
    site = live_server.url

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/staff/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()

    # Import the demo contacts: the dry run lists the broken rows, the good ones go in.
    page.get_by_role("link", name="Import contacts").click()
    page.get_by_role("button", name="Use the demo contacts file").click()
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("table").filter(has_text="Problem")
    for row in ("18", "47", "83", "121", "152", "176"):
        assert problems.get_by_role("cell", name=row, exact=True).count() == 1
    page.screenshot(path=SHOTS / "newcomer-dry-run.png", full_page=True)
    people_before = Person.objects.count()
    page.get_by_role("button", name="Import the 194 valid rows").click()
    page.get_by_role("link", name="Open the directory").wait_for(timeout=60_000)  # the worker imported them
    assert Person.objects.count() == people_before + 194

    # A campaign for the upcoming event to two segments, from the demo template.
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").click()
    upcoming = Event.objects.get(title=EVENT)
    page.get_by_label("Event").select_option(value=str(upcoming.pk))
    page.get_by_label("Name", exact=True).fill("Diplomats and former defence officials")
    page.get_by_label("Start from a template").select_option(label="NIPS Lecture Series invitation")
    page.get_by_label("Diplomat", exact=True).check()
    page.get_by_label("Former defence official", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    audience = int(re.search(r"(\d+)\s+people will be invited", page.inner_text("main")).group(1))
    expected = Person.objects.filter(segment__in=["diplomat", "former_defence"]).exclude(email="").count()
    assert audience == expected > 10
    # The preview: the made-up invitee, personal links that go nowhere.
    frame = page.frame_locator("iframe.mail-frame")
    frame.get_by_text("[personal link: accept]").first.wait_for(timeout=10_000)
    assert frame.locator("a").first.get_attribute("href") == "#"
    page.screenshot(path=SHOTS / "newcomer-campaign-draft.png", full_page=True)
    page.get_by_role("button", name="Review and send…").click()
    # The confirmation: exact counts, the warning that the event has fewer seats than invitations.
    page.get_by_role("heading", name=f"Send to {audience} people").wait_for()
    assert "Only 2 seats left" in page.inner_text("main")
    page.screenshot(path=SHOTS / "newcomer-campaign-confirm.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=SHOTS / "newcomer-campaign-confirm-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert Campaign.objects.get().status == Campaign.Status.DRAFT  # nothing sent yet
    page.get_by_role("button", name=f"Send anyway: {audience} invitations now").click()
    page.get_by_text("Sending has started").wait_for()
    # The progress updates on the page, without reload, until every invitation is sent.
    page.locator('[data-progress="status_label"]').filter(has_text="Sent").wait_for(timeout=60_000)
    assert page.locator('[data-progress="sent"]').inner_text() == str(audience)
    page.screenshot(path=SHOTS / "newcomer-campaign-sent.png", full_page=True)
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.SENT

    # The invitee opens the email and clicks "accept".
    invitation = Message.objects.filter(kind="campaign_invitation").order_by("pk").first()
    assert invitation.status == Message.Status.SENT
    assert invitation.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    accept = re.search(r"(http://\S+/i/[\w-]+/accept/)", invitation.body_text).group(1)
    invitee = browser.new_page(viewport={"width": 390, "height": 844})
    invitee.goto(accept)
    invitee.get_by_role("button", name="Yes, I will attend").click()
    invitee.get_by_text("Your place is confirmed").first.wait_for()
    invitee.screenshot(path=SHOTS / "newcomer-invitee-accepted.png", full_page=True)
    registration = Registration.objects.get(email=invitation.to_email, event__slug="pakistan-central-asia-connectivity")
    assert registration.status == Registration.Status.CONFIRMED

    # Staff see the registration and the reminder schedule.
    page.reload()
    assert page.locator('[data-progress="accepted"]').inner_text() == "1"
    page.get_by_role("link", name="Registrations").first.click()
    assert page.get_by_text(invitation.to_email).count() == 1
    page.goto(site + "/staff/")
    page.locator(".workspace-card").filter(has_text="Pakistan and Central Asia").get_by_role("link").first.click()
    page.get_by_role("link", name="Reminders", exact=True).click()
    schedule = page.locator("table").first
    assert schedule.get_by_role("cell", name="1 day", exact=True).count() == 1
    assert schedule.get_by_role("cell", name="1 hour", exact=True).count() == 1
    page.screenshot(path=SHOTS / "newcomer-reminders.png", full_page=True)
    invitee.close()
    page.close()


def test_a_link_scanner_that_runs_scripts_takes_no_seat(browser, live_server, organisation, make_event):
    """Mail scanners open every link in a headless browser and run its scripts; only a person's click
    on the button may answer the invitation (issue 12, item 4)."""
    event = make_event(capacity=10)
    invitation = Invitation.objects.create(event=event, email="amin@example.org", name="Shahid M Amin")
    scanner = browser.new_page()
    for answer in ("accept", "decline"):
        scanner.goto(f"{live_server.url}/i/{invitation.token}/{answer}/", wait_until="load")
        scanner.wait_for_load_state("networkidle")
        scanner.wait_for_timeout(500)  # time for a script to submit the form, had there been one
        assert scanner.url.endswith(f"/i/{invitation.token}/{answer}/")
    invitation.refresh_from_db()
    assert not Registration.objects.exists() and invitation.response == Invitation.Response.NONE

    scanner.goto(f"{live_server.url}/i/{invitation.token}/accept/")
    scanner.get_by_role("button", name="Yes, I will attend").click()
    scanner.get_by_text("Your place is confirmed").first.wait_for()
    assert Registration.objects.get(email="amin@example.org").status == Registration.Status.CONFIRMED
    scanner.close()
