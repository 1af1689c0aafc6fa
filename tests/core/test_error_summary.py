"""A form sent back with errors opens with one summary: a heading, and each error a link to its field.
Every link leads to a field that is on the page; the summary can take focus (the browser test of focus is
in test_accessibility.py)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<div class="form-errors error-summary"[^>]*data-error-summary>(.*?)</div>', re.S)


def summary_of(html: str) -> tuple[str, list[str]]:
    """The summary's opening tag and the ids its links point to; fails when there is no summary."""
    found = SUMMARY.search(html)
    assert found, "no error summary on the page"
    opening = html[found.start() : html.index(">", found.start()) + 1]
    return opening, re.findall(r'<a href="#([^"]+)"', found.group(1))


def control_ids(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html))


def assert_links_lead_to_fields(html: str, expected: set[str]) -> None:
    opening, targets = summary_of(html)
    assert 'tabindex="-1"' in opening and "aria-labelledby=" in opening
    assert re.search(r"<h2 [^>]*>There (is a problem|are problems)</h2>", html)
    assert targets, "the summary links to no field"
    missing = [target for target in targets if target not in control_ids(html)]
    assert not missing, f"summary links to {missing}, which are not fields of the page"
    assert expected <= set(targets), (expected, targets)


def test_staff_event_form_summary_links_every_error_to_its_field_radios_included(admin_client, series):
    response = admin_client.post(reverse("staff:event_new") + f"?series={series.pk}", {"title": ""})
    html = response.content.decode()
    assert response.status_code == 400
    # A text field, a date field and a radio group (whose link goes to its first choice).
    assert_links_lead_to_fields(html, {"id_title", "id_date", "id_format_0"})
    assert "Nothing was saved." in html


def test_series_form_summary(admin_client):
    html = admin_client.post(reverse("staff:series_new"), {"name": ""}).content.decode()
    assert_links_lead_to_fields(html, {"id_name"})


def test_public_registration_form_summary(client, organisation, make_event):
    event = make_event()
    response = client.post(reverse("registrations:register", args=[event.slug]), {"name": "", "email": "not-an-email"})
    html = response.content.decode()
    assert_links_lead_to_fields(html, {"id_name", "id_email"})
    assert "There are problems" in html


def test_campaign_template_form_summary(admin_client):
    html = admin_client.post(reverse("campaigns:template_new"), {"name": "", "subject": "", "body": ""}).content
    assert_links_lead_to_fields(html.decode(), {"id_name"})


def test_a_form_error_without_a_field_is_listed_without_a_link(client, django_user_model):
    django_user_model.objects.create_user("staff", password="right-password-1", is_staff=True)
    response = client.post(reverse("staff:login"), {"username": "staff", "password": "wrong"}, REMOTE_ADDR="127.0.0.1")
    html = response.content.decode()
    found = SUMMARY.search(html)
    assert found and "<li>" in found.group(1) and "correct username and password" in found.group(1)
    assert 'href="#' not in found.group(1)


def test_no_summary_on_a_form_without_errors(admin_client):
    assert "data-error-summary" not in admin_client.get(reverse("staff:series_new")).content.decode()
