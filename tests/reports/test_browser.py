"""After the event, as a newcomer does it in a real browser on the demo: read the published press release
of the Pakistan–Russia webinar and download it as Word and PDF; then, as staff, import the sample Zoom
transcript into the upcoming webinar, confirm who is speaking, turn suggestions into points, compose,
edit, publish, and find the release by search and in the Atom feed."""

import xml.etree.ElementTree as ET

import docx
import httpx
import pypdf
import pytest

from podium.events.models import Event
from podium.reports.models import Report
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(demo_site):
    return demo_site


def test_newcomer_reads_the_published_press_release_and_downloads_word_and_pdf(browser, site, tmp_path):
    version = Report.objects.get(event__slug="pakistan-russia-relations").published_version
    page = browser.new_page()
    page.goto(site + "/events/pakistan-russia-relations/")
    report = page.locator("#report")
    report.get_by_role("heading", name=version.headline).wait_for()
    text = report.inner_text()
    for paragraph in version.paragraphs:
        assert paragraph in text
    assert (
        text.index("Dr. Vladimir Kozin")
        < text.index("Ambassador (Retd) Shahid M Amin")
        < text.index("Delivering the closing remarks, Dr. Ashfaque Hasan Khan")
    )
    report.screenshot(path=SHOTS / "press-release-on-event-page.png")

    with page.expect_download() as word:
        report.get_by_role("link", name="Word").click()
    path = tmp_path / word.value.suggested_filename
    word.value.save_as(path)
    assert path.name == "pakistan-russia-relations-press-release.docx"
    document = docx.Document(path)
    body = "\n".join(p.text for p in document.paragraphs)
    assert version.headline in body and version.paragraphs[-1] in body
    assert (
        "NUST Institute of Policy Studies"
        in "\n".join(p.text for s in document.sections for p in s.header.paragraphs) + body
    )

    with page.expect_download() as pdf:
        report.get_by_role("link", name="PDF").click()
    path = tmp_path / pdf.value.suggested_filename
    pdf.value.save_as(path)
    reader = pypdf.PdfReader(path)
    pdf_text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert version.headline in pdf_text and "Dr. Kozin" in pdf_text
    (SHOTS / "press-release.pdf").write_bytes(path.read_bytes())


def test_staff_import_the_sample_transcript_compose_edit_publish_then_search_and_feed(browser, site):
    page = browser.new_page()
    page.goto(site + "/staff/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Events").wait_for()
    # The dashboard's card opens the event's overview; its tab bar leads to the transcript.
    card = page.locator(".workspace-card").filter(has_text="Pakistan and Central Asia")
    card.get_by_role("link").first.click()
    page.get_by_role("heading", name="Overview").wait_for()
    page.get_by_role("link", name="Transcript", exact=True).click()

    page.get_by_role("button", name="Import the sample transcript").click()
    page.get_by_text("Podium recognised 4").wait_for()
    assert page.get_by_label("Dr Atia Kazmi").input_value() != ""
    assert page.get_by_label("NIPS Events").input_value() == ""  # the host account is no one on the agenda
    page.screenshot(path=SHOTS / "transcript-mapping.png", full_page=True)
    page.get_by_role("button", name="Confirm speakers").click()
    page.get_by_text("Speakers confirmed").wait_for()

    def suggestions_of(name):
        return page.locator("section.speaker-points").filter(has=page.locator("h3", has_text=name))

    kazmi = suggestions_of("Dr. Atia Ali Kazmi")
    # Each suggestion shows the words said and the sentence it prints; the draft prints the latter.
    assert kazmi.locator("li dd.spoken").first.inner_text()
    first_suggestion = kazmi.locator("li dd.printed").first.inner_text().removeprefix("…that ").split(" (")[0]
    kazmi.get_by_role("button", name="Make a point").first.click()
    page.get_by_text("Point added for Dr. Atia Ali Kazmi").wait_for()
    suggestions_of("Mr. Ali Shah").get_by_role("button", name="Make a point").first.click()
    page.get_by_text("Point added for Mr. Ali Shah").wait_for()

    page.get_by_role("link", name="Press release", exact=True).click()
    page.get_by_role("button", name="Compose the draft from the points").click()
    page.get_by_text("Version 1 composed").wait_for()
    body = page.get_by_label("Text")
    assert "Dr. Atia Ali Kazmi, Senior Policy Analyst, NIPS," in body.input_value()
    assert first_suggestion.rstrip(".")[:40] in body.input_value()
    body.fill(body.input_value() + "\n\nThe webinar ended with questions from diplomats posted to Samarkand.")
    page.get_by_role("button", name="Save as version 2").click()
    page.get_by_text("Saved as version 2: Added paragraph").wait_for()
    # The draft beside its preview, as it prints.
    assert "Samarkand" in page.locator("article.release-preview").inner_text()
    page.screenshot(path=SHOTS / "report-workspace-draft.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=SHOTS / "report-workspace-draft-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Publish version 2…").click()
    page.get_by_role("heading", name="What becomes public").wait_for()
    page.screenshot(path=SHOTS / "report-publish-confirm.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.screenshot(path=SHOTS / "report-publish-confirm-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Publish version 2 now").click()
    page.get_by_text("Published: the press release is on the event's page").wait_for()
    page.screenshot(path=SHOTS / "report-workspace.png", full_page=True)
    event = Event.objects.get(slug="pakistan-central-asia-connectivity")
    headline = Report.objects.get(event=event).published_version.headline

    # Found by search …
    page.goto(site + "/")
    page.get_by_role("searchbox").first.fill("Samarkand")
    page.get_by_role("searchbox").first.press("Enter")
    hit = page.get_by_role("link", name=headline)
    hit.first.wait_for()
    page.screenshot(path=SHOTS / "search-report.png", full_page=True)
    hit.first.click()
    page.locator("#report").get_by_text("posted to Samarkand").wait_for()

    # … and in the feed.
    feed = ET.fromstring(httpx.get(site + "/reports/feed.atom").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert headline in titles
