"""Declining a registration with a reason and undoing it, in a real browser on a 320 px phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from podium.events.models import Event
from podium.mail.models import Message
from podium.registrations.models import Registration
from tests.staff.test_setup_browser import no_sideways_scroll, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/h2")


def test_decline_with_a_reason_then_undo_on_a_phone(browser, demo_site):
    SHOTS.mkdir(exist_ok=True)
    event = Event.objects.get(title__startswith="Pakistan and Central Asia")
    guest = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).order_by("pk").first()
    context = browser.new_context(viewport={"width": 320, "height": 740}, timezone_id="Asia/Karachi")
    page = context.new_page()
    sign_in(page, demo_site)
    page.goto(f"{demo_site}/staff/events/{event.pk}/registrations/")
    page.locator("tr", has_text=guest.email).get_by_role("link", name="Decline…").click()

    expect(page.get_by_role("heading", name=f"Decline {guest.name}?")).to_be_visible()
    page.get_by_label("Reason (optional)").fill("Seats at this round table are kept for serving officials.")
    page.get_by_role("button", name="Show the email with this reason").click()
    preview = page.locator(".mail-preview")
    expect(preview).to_contain_text(f"Dear {guest.name},")
    expect(preview).to_contain_text("Seats at this round table are kept for serving officials.")
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "decline-confirm-320.png"), full_page=True)
    page.get_by_role("button", name=f"Decline and email {guest.name}").click()

    expect(page.get_by_text(f"Declined {guest.name}.")).to_be_visible()
    undo = page.locator(".undo-form", has_text=f"You declined {guest.name}")
    expect(undo).to_contain_text("The email has not gone yet.")
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "decline-undo-320.png"), full_page=True)
    undo.get_by_role("button", name="Undo").click()

    expect(page.get_by_text(f"The decline is undone: {guest.name} is confirmed again")).to_be_visible()
    expect(page.locator(".undo-form")).to_have_count(0)
    guest.refresh_from_db()
    assert guest.status == Registration.Status.CONFIRMED
    assert Message.objects.get(registration=guest, kind="registration_declined").is_withdrawn
    context.close()
