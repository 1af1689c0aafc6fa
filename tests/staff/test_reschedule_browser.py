"""Moving the demo's upcoming event in a real browser: the Settings form asks first, names how many
people will be emailed the new time, and saves with their emails queued."""

import pytest
from playwright.sync_api import expect

from podium.events.models import Event
from podium.events.services import reschedule_speakers
from podium.mail.models import Message
from podium.registrations.models import Registration
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser


def test_moving_an_event_asks_first_and_tells_the_registrants(browser, demo_site):
    event = (
        Event.objects.filter(status=Event.Status.ANNOUNCED, registrations__status__in=Registration.ACTIVE_STATUSES)
        .distinct()
        .order_by("starts_at")
        .first()
    )
    assert event is not None
    active = Registration.objects.filter(event=event).active().count()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo_site + "/staff/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()
    page.goto(demo_site + f"/staff/events/{event.pk}/edit/")
    page.get_by_label("Starts").fill("16:00")
    page.get_by_label("Ends").fill("17:30")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("heading", name="Move the event to a new time?").wait_for()
    people = f"{active} people" if active > 1 else "1 person"
    speakers = reschedule_speakers(event=event).count()
    told = page.get_by_text("will be emailed the new time")
    expect(told).to_contain_text(f"{people} registered")
    if speakers:
        expect(told).to_contain_text(f"and {speakers} speaker")
    expect(told).to_contain_text("16:00–17:30")
    expect(page.get_by_label("Don't email them", exact=False)).not_to_be_checked()
    page.screenshot(path=SHOTS / "reschedule-confirm-1280.png", full_page=True)
    page.get_by_role("button", name="Save the new time").click()
    page.get_by_text(f"{active + speakers} people will be emailed the new time.").wait_for()
    assert Message.objects.filter(event=event, kind="event_rescheduled").count() == active
    assert Message.objects.filter(event=event, kind="speaker_rescheduled").count() == speakers
    page.close()
