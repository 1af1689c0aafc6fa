"""The event workspace in a real browser (Debian's chromium driven by Playwright), at a desk and on a 320 px
phone: the dashboard by stage, a next action followed to its tab, then every tab of the event in turn,
with no sideways scrolling on the phone."""

import pytest

from tests.staff.test_setup_browser import no_sideways_scroll, sign_in
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser

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


def current_tab(page) -> str:
    return page.locator(".workspace-tabs a[aria-current]").inner_text()


@pytest.mark.parametrize("width", [1280, 320])
def test_dashboard_next_action_and_every_tab(browser, demo_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="Europe/London")
    page = context.new_page()
    sign_in(page, demo_site)
    sections = page.locator(".dashboard-section h2").all_inner_texts()
    assert sections and sections[0].startswith(("Live now", "Upcoming")), sections
    if width == 320:
        no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"workspace-dashboard-{width}.png", full_page=True)

    # A next action is a link straight to the tab where it is done.
    action = page.locator(".next-actions a").first
    href, text = action.get_attribute("href"), action.inner_text()
    action.click()
    page.wait_for_url(f"**{href.split('?')[0]}*")
    nav = page.get_by_role("navigation", name="Event: ", exact=False).filter(has=page.locator("ul"))
    assert nav.count() == 1, f"{text} led to {page.url} without the event tab bar"
    if width == 320:
        no_sideways_scroll(page)
    page.screenshot(path=SHOTS / f"workspace-next-action-{width}.png", full_page=True)

    for name in TABS:
        page.locator(".workspace-tabs").get_by_role("link", name=name, exact=True).click()
        page.wait_for_function(
            "name => document.querySelector('.workspace-tabs a[aria-current=page]')?.textContent === name", arg=name
        )
        assert page.locator(".workspace-tabs a[aria-current]").count() == 1
        assert current_tab(page) == name
        if width == 320:
            no_sideways_scroll(page)
        page.screenshot(path=SHOTS / f"workspace-{name.lower().replace(' ', '-')}-{width}.png", full_page=True)
    context.close()
