"""The public pages of item 7 (issue 13) in a real browser on the demo, at a desk's width and a
phone's (320 px): the waiting-list button, the feed link, the share image and its tags."""

import pytest

from podium.events.models import Event
from podium.registrations import services
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser

EVENT = "/events/pakistan-central-asia-connectivity/"


def fill(slug: str) -> None:
    event = Event.objects.get(slug=slug)
    for n in range(services.seats_left(event=event) or 0):
        services.registration_submit(event=event, name=f"Guest {n}", email=f"g{n}@example.org", segment="scholar")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_full_event_offers_the_waiting_list_and_shares_its_picture(browser, demo_site, width):
    fill("pakistan-central-asia-connectivity")
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(demo_site + EVENT)
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_role("heading", name="Join the waiting list").wait_for()
    assert page.get_by_role("button", name="Join the waiting list").is_visible()
    page.screenshot(path=SHOTS / f"waiting-list-form-{width}.png", full_page=True)

    page.goto(demo_site + EVENT)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide  # nothing runs off a phone
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image == demo_site + EVENT + "share.png"
    page.screenshot(path=SHOTS / f"event-full-{width}.png", full_page=True)
    assert page.get_by_role("link", name="Press releases by feed (Atom)").is_visible()

    picture = page.goto(image)
    assert picture.status == 200 and picture.headers["content-type"] == "image/png"
    page.screenshot(path=SHOTS / f"share-image-{width}.png")


@pytest.mark.parametrize("width", [1280, 320])
def test_the_archive_links_the_feed_and_the_press_release_has_share_tags(browser, demo_site, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(demo_site + "/events/pakistan-russia-relations/")
    page.locator("#report").get_by_role("link", name="Follow new press releases").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SHOTS / f"archive-{width}.png", full_page=True)
    page.goto(demo_site + "/events/pakistan-russia-relations/press-release.html")
    assert page.locator('meta[property="og:type"]').get_attribute("content") == "article"
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert page.goto(image).status == 200
    page.screenshot(path=SHOTS / f"archive-share-image-{width}.png")
