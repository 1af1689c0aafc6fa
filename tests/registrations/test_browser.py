"""A newcomer in a real browser (Debian's chromium driven by Playwright) on the demo.

Registers for the upcoming event until it is full, joins the waiting list, cancels from the
personal link in the email and watches the next person get the seat; staff approve a
registration; every step's email is checked in the outbox.
"""

import re

import pytest

from podium.mail.models import Message
from podium.registrations.models import Registration
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser


@pytest.fixture
def site(demo_site):
    return demo_site


def manage_link(email: str, kind: str) -> str:
    message = Message.objects.get(to_email=email, kind=kind)
    return re.search(r"(http://\S+/r/[\w-]+/)", message.body_text).group(1)


def register(page, site, name, email):
    page.goto(site + "/")
    page.get_by_role("link", name="Pakistan and Central Asia: Connectivity, Trade and Security").first.click()
    # The button reads "Join the waiting list" once the seats are gone (tests/public/test_registration_offer.py).
    action = re.compile(r"^(Register|Join the waiting list)$")
    page.get_by_role("link", name=action).click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Organisation").fill("NUST")
    page.get_by_label("Which best describes you?").select_option(label="Scholar")
    page.get_by_role("button", name=action).click()


def test_newcomer_registers_and_reaches_the_confirmation(browser, site):
    page = browser.new_page(timezone_id="Europe/London")
    page.goto(site + "/")
    assert page.get_by_role("heading", name="Upcoming events").is_visible()
    register(page, site, "Dr. Sana Iqbal", "sana.iqbal@example.org")
    page.get_by_role("heading", name="Thank you for registering").wait_for()
    assert "We have sent an email to" in page.content() and "sana.iqbal@example.org" in page.content()
    page.screenshot(path=SHOTS / "registered.png", full_page=True)
    # The status and the links come by email (the page is the same for an address registered already).
    page.goto(manage_link("sana.iqbal@example.org", "registration_confirmed"))
    page.get_by_text("Your place is confirmed.").wait_for()
    assert Registration.objects.get(email="sana.iqbal@example.org").status == Registration.Status.CONFIRMED
    assert Message.objects.filter(to_email="sana.iqbal@example.org", kind="registration_confirmed").exists()


def test_waiting_list_cancellation_promotion_and_approval(browser, site):
    page = browser.new_page(timezone_id="America/New_York")
    # The demo event has 5 seats and 3 taken: two more confirm, the third waits.
    for name, email in (
        ("Mr. Bilal Ahmed", "bilal@example.org"),
        ("Ms. Zara Khan", "zara@example.org"),
        ("Dr. Imran Haider", "imran@example.org"),
    ):
        register(page, site, name, email)
        page.get_by_role("heading", name="Thank you for registering").wait_for()
    page.goto(manage_link("zara@example.org", "registration_confirmed"))
    page.get_by_text("Your place is confirmed.").wait_for()
    page.goto(manage_link("imran@example.org", "registration_waitlisted"))
    page.get_by_text("You are on the waiting list, number 1.").wait_for()
    page.screenshot(path=SHOTS / "waitlisted.png", full_page=True)

    # The event page now says the seats are gone, in the visitor's zone as well as the event's.
    page.goto(site + "/events/pakistan-central-asia-connectivity/")
    assert "All seats are taken" in page.content()
    assert "In your time zone (America/New_York)" in page.locator(".local-time").inner_text()

    # Bilal cancels from the link in his confirmation email; Imran gets the seat and an email.
    page.goto(manage_link("bilal@example.org", "registration_confirmed"))
    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_text("This registration is cancelled.").wait_for()
    assert Registration.objects.get(email="imran@example.org").status == Registration.Status.CONFIRMED
    assert Message.objects.filter(to_email="bilal@example.org", kind="registration_cancelled").count() == 1
    page.goto(manage_link("imran@example.org", "registration_promoted"))
    page.get_by_text("Your place is confirmed.").wait_for()

    # Staff sign in and approve a pending registration for the roundtable.
    page.goto(site + "/staff/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Roundtable: CPEC's Second Phase and Regional Connectivity").click()
    page.get_by_role("navigation", name="Event: Roundtable").get_by_role("link", name="Registrations").click()
    page.get_by_label("Select Ms. Hira Baig").check()
    page.get_by_role("button", name="Approve", exact=True).first.click()
    page.get_by_text("Approved 1 registration.").wait_for()
    page.screenshot(path=SHOTS / "staff-registrations.png", full_page=True)
    hira = Registration.objects.get(event__slug="cpec-second-phase-roundtable", email="hira.baig@example.org")
    assert hira.status == Registration.Status.CONFIRMED
    assert Message.objects.filter(registration=hira, kind="registration_approved").count() == 1

    # Every email of these steps is in the outbox page.
    page.get_by_role("link", name="Outbox").click()
    for subject in (
        "A seat is yours",
        "Registration cancelled",
        "You are on the waiting list",
        "Your registration is approved",
    ):
        assert page.get_by_text(subject).first.is_visible()
    page.get_by_text("A seat is yours").first.click()
    page.get_by_role("heading", name="As the recipient sees it").wait_for()
    page.screenshot(path=SHOTS / "outbox-message.png", full_page=True)
