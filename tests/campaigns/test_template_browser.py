"""Choosing a template on the new-campaign form fills the subject and text at once (the page's script),
and never replaces what was typed without asking."""

import pytest
from playwright.sync_api import expect

from podium.campaigns.models import InvitationTemplate
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser


def test_choosing_a_template_fills_the_subject_and_text(browser, demo_site):
    template = InvitationTemplate.objects.order_by("name").first()
    assert template is not None  # the demo has its invitation template
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(demo_site + "/staff/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()
    page.goto(demo_site + "/staff/campaigns/new/")
    subject, body = page.get_by_label("Subject"), page.get_by_label("Text", exact=True)
    expect(page.get_by_role("button", name="Use this template")).to_be_hidden()  # the script does it
    page.get_by_label("Start from a template").select_option(label=template.name)
    expect(subject).to_have_value(template.subject)
    expect(body).to_have_value(template.body.replace("\r\n", "\n"))
    page.screenshot(path=SHOTS / "campaign-template-filled.png", full_page=True)
    # Typed text is replaced only after a yes.
    subject.fill("My own subject")
    page.get_by_label("Start from a template").select_option(index=0)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_label("Start from a template").select_option(label=template.name)
    expect(subject).to_have_value("My own subject")
    page.get_by_label("Start from a template").select_option(index=0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Start from a template").select_option(label=template.name)
    expect(subject).to_have_value(template.subject)
    page.close()
