"""Exporting an event's registrations from the staff page in a real browser, at a desk and on a 320 px
phone: the download is a workbook openpyxl reads back, with every registration the page lists and formulas
made inert."""

import openpyxl
import pytest

from podium.registrations.models import Registration
from tests.staff.test_setup_browser import no_sideways_scroll, sign_in
from tests.support.browser import SHOTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_export_registrations_to_xlsx_and_read_it_back(browser, demo_site, tmp_path, width):
    registration = Registration.objects.select_related("event").order_by("pk").first()
    event = registration.event
    Registration.objects.filter(pk=registration.pk).update(name='=HYPERLINK("http://evil.example")')
    expected = set(event.registrations.values_list("email", flat=True))
    context = browser.new_context(viewport={"width": width, "height": 800}, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, demo_site)
        page.goto(f"{demo_site}/staff/events/{event.pk}/registrations/")
        if width == 320:
            no_sideways_scroll(page)
        page.screenshot(path=SHOTS / f"registrations-export-{width}.png", full_page=True)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Excel (XLSX)").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        path = tmp_path / download.suggested_filename
        download.save_as(path)
    finally:
        context.close()
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(cell).lower() for cell in rows[0]]
    email_column = next(i for i, title in enumerate(header) if "email" in title)
    assert {row[email_column] for row in rows[1:]} == expected
    values = [cell for row in rows[1:] for cell in row if isinstance(cell, str)]
    assert not any(value.startswith("=") for value in values)
    assert any("HYPERLINK" in value for value in values)  # kept as text, not dropped
