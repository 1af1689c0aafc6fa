"""The events team in a real browser (Debian's chromium driven by Playwright), at a desk and on a 320 px
phone: a new series, an event in it with a five-person agenda built from the staff pages (people found by
typing part of their name, one created inline, reordered by keyboard and by dragging), published and
seen on the public site."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from podium.events.models import Event, Series
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser

TITLE = "Afghanistan after the Withdrawal: Regional Stakes"


def sign_in(page, site):
    page.goto(site + "/staff/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Events").wait_for()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    if width > viewport:
        culprits = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right)"
        )
        raise AssertionError(f"{page.url} is {width}px wide in a {viewport}px window: {culprits}")


def drag(page, name: str, *, onto: str, lower: bool = False) -> None:
    """Drags the row of `name` by its handle onto the upper (or lower) part of the row of `onto`, with the
    mouse moving in steps as a hand does: a single jump can end before Chromium has started the drag."""
    handle = page.locator("#agenda-list li", has_text=name).locator(".drag-handle")
    target = page.locator("#agenda-list li", has_text=onto)
    target.scroll_into_view_if_needed()
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    box = target.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + (box["height"] - 6 if lower else 6), steps=10)
    page.mouse.up()


def add_from_directory(page, typed: str, full_form: str, role: str) -> None:
    page.get_by_label("Find in the directory").fill(typed)
    result = page.locator(".people-results li", has_text=full_form)
    result.wait_for()  # the type-ahead brought it, in full written form
    result.get_by_role("combobox").select_option(label=role)
    result.get_by_label("Has agreed").check()
    result.get_by_role("button", name="Add").click()
    page.get_by_text(f"on the agenda as {role.lower()}").wait_for()


def agenda_names(page) -> list[str]:
    return [
        text.split(": ", 1)[1]
        for text in page.locator("#agenda-list .agenda-row-text strong").evaluate_all(
            "els => els.map(e => e.parentElement.innerText.split('\\n')[0])"
        )
    ]


def test_series_event_and_five_person_agenda_from_the_staff_pages(browser, demo_site):
    site = demo_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, site)

    # A series, from the dashboard's link.
    page.get_by_role("link", name="Series", exact=True).first.click()
    page.get_by_role("link", name="New series").click()
    page.get_by_label("Name", exact=True).fill("NIPS Regional Dialogues")
    page.get_by_label("Who it is for (optional)").fill("diplomats, scholars and students")
    page.get_by_label("Approval required: staff approve each registration").check()
    page.get_by_label("Default seats (optional)").fill("120")
    page.get_by_label("Default video engine").select_option(label="Jitsi Meet")
    page.screenshot(path=SHOTS / "setup-series-form-1280.png", full_page=True)
    page.get_by_role("button", name="Create the series").click()
    page.get_by_text("The series “NIPS Regional Dialogues” is created.").wait_for()
    series = Series.objects.get(name="NIPS Regional Dialogues")
    assert series.default_capacity == 120 and series.slug == "nips-regional-dialogues"

    # The event, starting from the series' defaults.
    page.locator("tr", has_text="NIPS Regional Dialogues").get_by_role("link", name="New event in this series").click()
    assert page.get_by_label("Seats (optional)").input_value() == "120"
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Topic (optional)").fill("What the withdrawal changed for Pakistan, Central Asia and Russia.")
    page.get_by_label("Roundtable").check()
    day = (timezone.now() + timedelta(days=21)).astimezone(timezone.get_fixed_timezone(300)).date()
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Starts").fill("15:00")
    page.get_by_label("Ends").fill("17:00")
    page.get_by_label("Time zone").fill("Asia/Karachi")
    preview = page.locator("#time-preview")
    preview.get_by_text("Your time (Europe/London)").wait_for()
    # Each line reads as one range with its zone after it: "…, 15:00–17:00 GMT+5".
    shown = preview.inner_text()
    assert re.search(r"Event's time \(Asia/Karachi\): .*15:00–17:00 \S+", shown), shown
    assert re.search(r"Your time \(Europe/London\): .*(10:00–12:00|11:00–13:00) \S+", shown), shown
    page.get_by_label("Open: anyone may register; seats are confirmed at once").check()
    page.get_by_label("Chatham House Rule", exact=False).check()
    page.screenshot(path=SHOTS / "setup-event-form-1280.png", full_page=True)
    page.get_by_role("button", name="Create the draft").click()
    page.get_by_text("The event is created as a draft. Now set its agenda.").wait_for()
    event = Event.objects.get(title=TITLE)
    assert event.is_draft and event.slug == "afghanistan-after-the-withdrawal-regional-stakes"
    assert event.starts_at.astimezone(event.zone).strftime("%H:%M") == "15:00" and event.capacity == 120

    # The agenda: three from the directory by part of their names, two created inline.
    add_from_directory(page, "yaq", "Brig (Retd) Amir Yaqub, Director NIPS", "Moderator")
    add_from_directory(page, "kozin", "Dr. Vladimir Kozin, Leading Expert", "Main speaker")
    add_from_directory(page, "shahid", "Ambassador (Retd) Shahid M Amin", "Closing remarks")
    for honorific, given, family, position, role in (
        ("Dr.", "Sadia", "Rahman", "Senior Research Fellow", "Discussant"),
        ("Lt Gen", "Tariq", "Hameed", "Former Commander", "Discussant"),
    ):
        page.get_by_text("Someone not in the directory").click()
        form = page.locator("form[action$='new-person/']")
        form.get_by_label("Rank or honorific (optional)").fill(honorific)
        if family == "Hameed":
            form.get_by_label("Retired").check()
        form.get_by_label("Given names (optional)").fill(given)
        form.get_by_label("Family name").fill(family)
        form.get_by_label("Position", exact=False).first.fill(position)
        form.get_by_label("Organisation", exact=False).first.fill("NIPS")
        comma = form.get_by_label("Comma between them: “Senior Research Fellow", exact=False)
        expect(comma).to_be_checked()  # ticked from the start: most designations need it
        expect(form.locator("#designation-preview")).to_have_text(f"Shown as: {position}, NIPS")
        comma.uncheck()
        expect(form.locator("#designation-preview")).to_have_text(f"Shown as: {position} NIPS")
        comma.check()
        form.get_by_label("Pronoun", exact=True).select_option("she" if family == "Rahman" else "he")
        form.get_by_label("Role", exact=True).select_option(label=role)
        form.get_by_label("Has already agreed").check()
        form.get_by_role("button", name="Add to the directory and the agenda").click()
        page.get_by_text("is in the directory and on the agenda").wait_for()
    assert page.locator("#agenda-list li").count() == 5

    # New speakers went in before the closing remarks, which stay last.
    expect(page.locator("#agenda-list li").nth(4)).to_contain_text("Amin")
    # Keyboard: Rahman after Hameed (Down, focus kept on the page without a reload).
    page.locator("#agenda-list li", has_text="Sadia Rahman").get_by_role("button", name="Down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-list li").nth(3)).to_contain_text("Rahman")
    # Screen readers hear where it went, through the page's one polite live region.
    announce = page.locator("[aria-live=polite]#agenda-announce")
    expect(announce).to_have_text("Dr. Sadia Rahman moved to position 4 of 5.")
    assert page.locator("#agenda-builder [aria-live]:not(#agenda-results)").count() == 1
    # Dragging: Rahman back before Hameed, then Hameed before Rahman again.
    drag(page, "Rahman", onto="Hameed")
    expect(page.locator("#agenda-list li").nth(2)).to_contain_text("Rahman")
    drag(page, "Hameed", onto="Rahman")
    expect(page.locator("#agenda-list li").nth(2)).to_contain_text("Hameed")
    expect(announce).to_have_text("Lt Gen (Retd) Tariq Hameed moved to position 3 of 5.")
    # Dropped on the lower half of the last row, it goes after it; and back before Hameed.
    drag(page, "Kozin", onto="Amin", lower=True)
    expect(page.locator("#agenda-list li").nth(4)).to_contain_text("Kozin")
    drag(page, "Kozin", onto="Hameed")
    expect(page.locator("#agenda-list li").nth(1)).to_contain_text("Kozin")
    preview = page.locator("#agenda-preview")
    assert preview.get_by_text("Discussants").is_visible()
    assert "Lt Gen (Retd) Tariq Hameed" in preview.inner_text()
    page.screenshot(path=SHOTS / "setup-agenda-1280.png", full_page=True)

    # Publish, after a page that says who is told.
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("heading", name="Who will be notified").wait_for()
    assert page.get_by_text("Nobody is emailed now.").is_visible()
    page.screenshot(path=SHOTS / "setup-publish-1280.png", full_page=True)
    page.get_by_role("button", name="Publish the event").click()
    page.get_by_text("The event is published.").wait_for()

    # The public site lists it, with the agenda in the order set.
    page.goto(site + "/")
    page.get_by_role("link", name=TITLE).first.click()
    agenda = page.locator("section[aria-labelledby=agenda-heading]").inner_text()
    order = [
        agenda.index(name) for name in ("Amir Yaqub", "Vladimir Kozin", "Tariq Hameed", "Sadia Rahman", "Shahid M Amin")
    ]
    assert order == sorted(order), agenda
    assert "Chatham House Rule" in page.content()
    page.screenshot(path=SHOTS / "setup-public-event-1280.png", full_page=True)

    # Duplicate: the next event repeats the moderator and the closing remarks.
    page.goto(site + f"/staff/events/{event.pk}/duplicate/")
    page.get_by_label("Title").fill(TITLE + " II")
    page.get_by_role("button", name="Make the copy").click()
    page.get_by_text("The copy is a draft.").wait_for()
    copied = page.locator("#agenda-list").inner_text()
    assert "Amir Yaqub" in copied and "Shahid M Amin" in copied and "Kozin" not in copied
    context.close()


def test_setup_pages_hold_on_a_320px_phone(browser, demo_site):
    site = demo_site
    context = browser.new_context(viewport={"width": 320, "height": 720}, timezone_id="Asia/Karachi")
    page = context.new_page()
    sign_in(page, site)
    event = Event.objects.get(slug="pakistan-central-asia-connectivity")
    series = Series.objects.get(slug="nips-lecture-series")
    for name, path in (
        ("series", "/staff/series/"),
        ("series-form", f"/staff/series/{series.pk}/"),
        ("event-form", "/staff/events/new/"),
        ("event-edit", f"/staff/events/{event.pk}/edit/"),
        ("agenda", f"/staff/events/{event.pk}/agenda/?q=amir"),
        ("duplicate", f"/staff/events/{event.pk}/duplicate/"),
        ("unpublish", f"/staff/events/{event.pk}/unpublish/"),
    ):
        page.goto(site + path)
        no_sideways_scroll(page)
        page.screenshot(path=SHOTS / f"setup-{name}-320.png", full_page=True)
    # The whole flow works at this width too: a person found by typing, added and moved by keyboard.
    page.goto(site + f"/staff/events/{event.pk}/agenda/")
    add_from_directory(page, "amin", "Ambassador (Retd) Shahid M Amin", "Rapporteur")
    row = page.locator("#agenda-list li", has_text="Shahid M Amin").filter(has_text="Rapporteur")
    row.get_by_role("button", name="Up").click()
    expect(page.locator("#agenda-announce")).to_contain_text("Ambassador (Retd) Shahid M Amin moved to position ")
    no_sideways_scroll(page)
    context.close()
