"""Exporting an event's registrations to CSV and XLSX: the columns, the filter, inert cells, permissions
and a query count that does not grow with the rows."""

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.core.spreadsheets import inert
from podium.events.models import Question
from podium.registrations import services
from podium.registrations.models import Registration

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x")'


@pytest.fixture
def event(make_event):
    event = make_event(slug="energy-security", capacity=1, time_zone="Asia/Karachi")
    topic = Question.objects.create(event=event, label="Your question", kind=Question.Kind.TEXT, order=0)
    member = Question.objects.create(event=event, label="Member?", kind=Question.Kind.CHECKBOX, order=1)
    services.registration_submit(
        event=event,
        name=HOSTILE,
        email="hostile@example.org",
        segment="diplomat",
        organisation="+Org",
        designation="@handle",
        answers={
            str(topic.pk): {"question": topic.label, "answer": "-2+3"},
            str(member.pk): {"question": member.label, "answer": True},
        },
    )
    services.registration_submit(
        event=event, name="Ayesha Khan", email="ayesha@example.org", segment="scholar", organisation="NIPS"
    )
    Registration.objects.filter(email="hostile@example.org").update(created_at=datetime(2026, 3, 1, 7, 30, tzinfo=UTC))
    return event


def export(client, event, **params):
    return client.get(reverse("staff:registrations_export", args=[event.pk]), params)


def test_xlsx_reads_back_with_openpyxl_and_formulas_are_inert(admin_client, event):
    response = export(admin_client, event, format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"] == 'attachment; filename="energy-security-registrations.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Name",
        "Email",
        "Organisation",
        "Designation",
        "Segment",
        "Status",
        "Registered at (Asia/Karachi)",
        "Your question",
        "Member?",
    ]
    assert rows[1] == [
        "'" + HOSTILE,
        "hostile@example.org",
        "'+Org",
        "'@handle",
        "Diplomat",
        "Confirmed",
        "2026-03-01 12:30",  # 07:30 UTC in Karachi
        "'-2+3",
        "Yes",
    ]
    assert rows[2][:6] == ["Ayesha Khan", "ayesha@example.org", "NIPS", None, "Scholar", "On the waiting list"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_reads_back_with_csv_module_and_formulas_are_inert(admin_client, event):
    response = export(admin_client, event, format="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="energy-security-registrations.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:7] == [
        "'" + HOSTILE,
        "hostile@example.org",
        "'+Org",
        "'@handle",
        "Diplomat",
        "Confirmed",
        "2026-03-01 12:30",
    ]
    assert rows[1][7:] == ["'-2+3", "Yes"]
    assert [row[0] for row in rows[2:]] == ["Ayesha Khan"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_export_follows_the_page_filter(admin_client, event):
    response = export(admin_client, event, format="csv", status="waitlisted")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Ayesha Khan"]
    response = export(admin_client, event, format="csv", q="hostile")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["hostile@example.org"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"format": "pdf"},
        {"format": "csv", "status": "nonsense"},
        {"format": "xlsx", "q": "x" * 500},
        {"format": "csv", "q": "a\x00b"},
        {"format": ["csv", "xlsx\x00"]},
    ],
)
def test_bad_export_request_gets_a_message(admin_client, event, params):
    response = admin_client.get(reverse("staff:registrations_export", args=[event.pk]), params, follow=True)
    assert response.status_code in (200, 400)
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith(
        reverse("staff:registrations", args=[event.pk])
    )
    assert b"Content-Disposition" not in response.content
    assert list(response.context["messages"])


def test_every_formula_start_is_neutralised():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert inert(start + "1+1") == "'" + start + "1+1"
    assert inert("Plain") == "Plain" and inert(None) == "" and inert(False) == "No"


def test_export_needs_the_view_permission(client, event):
    url = reverse("staff:registrations_export", args=[event.pk])
    assert client.get(url, {"format": "csv"}).status_code == 302  # signed out: to the sign-in page
    clerk = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    client.force_login(clerk)
    assert client.get(url, {"format": "csv"}).status_code == 403
    clerk.user_permissions.set(Permission.objects.filter(codename="view_registration"))
    assert client.get(url, {"format": "csv"}).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_rows(admin_client, event, fmt):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert export(admin_client, event, format=fmt).status_code == 200
        return len(context.captured_queries)

    export(admin_client, event, format=fmt)
    few = queries()
    for n in range(25):
        services.registration_submit(event=event, name=f"Guest {n}", email=f"g{n}@example.org", segment="expert")
    assert queries() == few
