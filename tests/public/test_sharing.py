"""Sharing and following the public pages (issue 13, item 7): the share image drawn by the server, the
Open Graph and Twitter card tags of event and press-release pages, the favicon and the feed's links."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from podium.core.selectors import organisation_get
from podium.events.models import Event, Participation, Role
from podium.public.share import ShareCard, share_card, share_image_png
from tests.reports.test_archive import past_event, publish

pytestmark = pytest.mark.django_db

META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


def meta(html: str) -> dict[str, str]:
    return dict(META.findall(html))


@pytest.fixture
def event(organisation, make_event, add_speaker, make_person):
    event = make_event(
        title="Pakistan and Central Asia: Connectivity, Trade and Security",
        slug="pakistan-central-asia",
        abstract="Experts discuss the corridors that link Pakistan with Central Asia.",
    )
    add_speaker(event, Role.MODERATOR, given_names="Amir", family_name="Yaqub", honorific="Brig", retired=True)
    add_speaker(event, Role.MAIN_SPEAKER, order=1, given_names="Vladimir", family_name="Kozin", honorific="Dr.")
    add_speaker(event, Role.RAPPORTEUR, order=3, given_names="Sana", family_name="Rapporteurova")
    Participation.objects.create(
        event=event,
        person=make_person(given_names="Nadia", family_name="Invitedova"),
        role=Role.DISCUSSANT,
        order=2,
        confirmation=Participation.Confirmation.INVITED,
    )
    return event


# The share image ------------------------------------------------------------------------------


def test_the_share_image_is_a_1200_by_630_png(client, event):
    response = client.get(reverse("public:share_image", args=[event.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]


def test_the_share_image_is_cached_by_its_etag_and_changes_with_the_event(client, event):
    url = reverse("public:share_image", args=[event.slug])
    etag = client.get(url)["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag
    event.title = "A new title"
    event.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_share_image_names_only_the_speakers_the_page_names(event):
    card = share_card(event=event, organisation=organisation_get())
    assert card.speakers == ("Brig (Retd) Amir Yaqub", "Dr. Vladimir Kozin")  # not invited, not the rapporteur
    assert card.speakers_line == "With Brig (Retd) Amir Yaqub and Dr. Vladimir Kozin"
    assert card.title == event.title and "PKT (UTC+05:00)" in card.when
    assert card.kicker == "Webinar"


def test_the_share_image_names_the_attribution_rule_as_the_page_does(event):
    event.attribution = Event.Attribution.CHATHAM_HOUSE
    card = share_card(event=event, organisation=organisation_get())
    assert card.kicker == "Webinar · Chatham House Rule"
    assert card.speakers  # the rule is about what was said: the speakers are named on the page too


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Event.Status.DRAFT},
        {"visibility": Event.Visibility.INVITATION_ONLY},
    ],
)
def test_no_share_image_for_an_event_not_everyone_may_see(client, admin_client, event, fields):
    Event.objects.filter(pk=event.pk).update(**fields)
    url = reverse("public:share_image", args=[event.slug])
    assert client.get(url).status_code == 404
    assert admin_client.get(url).status_code == 404  # not even for staff: a picture travels
    assert client.get(reverse("public:share_image", args=["no-such-event"])).status_code == 404


def test_an_unlisted_event_has_a_share_image(client, event):
    Event.objects.filter(pk=event.pk).update(visibility=Event.Visibility.UNLISTED)
    assert client.get(reverse("public:share_image", args=[event.slug])).status_code == 200


def test_long_titles_and_many_speakers_still_fit():
    card = ShareCard(
        organisation="NUST Institute of Policy Studies",
        kicker="Hybrid · Off the record",
        title=" ".join(["Connectivity"] * 60),
        when="Wednesday 16 December 2026, 15:00 – Thursday 17 December 2026, 17:00 PKT (UTC+05:00)",
        speakers=("Ambassador Nadia Quraishova",) * 4,
        more_speakers=7,
    )
    assert Image.open(io.BytesIO(share_image_png(card=card))).size == (1200, 630)
    assert card.speakers_line.endswith("and 7 more")


# Open Graph and Twitter cards --------------------------------------------------------------------


def test_the_event_page_carries_open_graph_and_twitter_card_tags(client, event):
    tags = meta(client.get(reverse("public:event", args=[event.slug])).content.decode())
    assert tags["og:title"] == event.title
    assert tags["og:description"] == event.abstract
    assert tags["og:url"] == "http://testserver/events/pakistan-central-asia/"
    assert tags["og:image"] == "http://testserver/events/pakistan-central-asia/share.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:type"] == "website" and tags["og:site_name"] == "NUST Institute of Policy Studies"
    assert tags["og:image:alt"].startswith(event.title + ", ")
    assert tags["twitter:card"] == "summary_large_image"


def test_the_addresses_come_from_site_url(client, event, settings):
    settings.SITE_URL = "https://events.nips.example.org"
    tags = meta(client.get(reverse("public:event", args=[event.slug])).content.decode())
    assert tags["og:url"] == "https://events.nips.example.org/events/pakistan-central-asia/"
    assert tags["og:image"] == "https://events.nips.example.org/events/pakistan-central-asia/share.png"


def test_no_share_tags_on_a_page_only_staff_may_see(admin_client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    html = admin_client.get(reverse("public:event", args=[event.slug])).content.decode()
    assert "og:image" not in html and "twitter:card" not in html


def test_the_press_release_page_carries_open_graph_tags(client, organisation, make_event):
    ended = past_event(make_event, title="Water Security in the Indus Basin", slug="indus-water")
    publish(ended, headline="NIPS discusses water security", body="The first paragraph.\n\nThe second.")
    html = client.get(reverse("reports:public_export", args=[ended.slug, "html"])).content.decode()
    tags = meta(html)
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "NIPS discusses water security"
    assert tags["og:description"] == "The first paragraph."
    assert tags["og:url"] == "http://testserver/events/indus-water/press-release.html"
    assert tags["og:image"] == "http://testserver/events/indus-water/share.png"
    assert tags["twitter:card"] == "summary_large_image"


# Favicon and feed ----------------------------------------------------------------------------------


def test_every_page_names_its_icons_and_favicon_ico_leads_to_one(client, organisation):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/podium/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/podium/favicon.ico" sizes="32x32">' in html
    assert '<link rel="apple-touch-icon" href="/static/podium/apple-touch-icon.png">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/podium/favicon.ico"
    with Image.open(finders.find("podium/favicon.ico")) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    with Image.open(finders.find("podium/apple-touch-icon.png")) as touch:
        assert touch.size == (180, 180)


def test_the_feed_is_linked_from_the_archive_and_the_page_head(client, organisation, series, make_event):
    feed = reverse("reports_feed")
    alternate = f'<link rel="alternate" type="application/atom+xml" href="{feed}"'
    visible = f'<a href="{feed}" type="application/atom+xml">'
    ended = past_event(make_event)
    for url in ("/", reverse("public:series", args=[series.slug]), reverse("public:event", args=[ended.slug])):
        html = client.get(url).content.decode()
        assert alternate in html and visible in html, url
    archive = client.get(reverse("public:event", args=[ended.slug])).content.decode()
    section = archive[archive.index('id="report"') :]
    assert "Follow new press releases" in section[: section.index("</section>")]
    assert client.get(feed).status_code == 200
