"""Hostile spreadsheets: each is refused before it costs much, with a message a person understands,
and nothing is stored. The first two go to a real uvicorn server, whose memory and time are measured:
a 300 KB workbook whose one cell unpacks to 300 MB, and a sheet of a million blank rows."""

import codecs
import io
import re
import time
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.imports.models import ContactImport
from podium.imports.spreadsheet import MAX_CELL_CHARS, PREVIEW_CHARS, spreadsheet_read
from podium.people.models import Person
from tests.support import hostile
from tests.support.processes import Server

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEMORY_CEILING_KB = 300 * 1024


def memory_kb(pid: int) -> dict[str, int]:
    """VmHWM (the most the process has ever held) and VmRSS (what it holds now), in KB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) for key in ("VmHWM", "VmRSS")}


@pytest.fixture
def server(tmp_path):
    process = Server(tmp_path, "")
    process.start()
    yield process
    process.stop()


def sign_in(server) -> httpx.Client:
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_person", "change_person"]))
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=120)
    login = client.get(reverse("staff:login"))
    response = client.post(
        reverse("staff:login"),
        data={"csrfmiddlewaretoken": CSRF.search(login.text).group(1), "username": "clerk", "password": "pw-clerk-123"},
    )
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def signed_in(server):
    client = sign_in(server)
    yield client
    client.close()


def upload(client: httpx.Client, name: str, data: bytes) -> httpx.Response:
    page = client.get(reverse("imports:upload"))
    return client.post(
        reverse("imports:upload"),
        data={"csrfmiddlewaretoken": CSRF.search(page.text).group(1)},
        files={"file": (name, data, "application/octet-stream")},
    )


@pytest.mark.django_db(transaction=True)
def test_a_workbook_whose_one_cell_unpacks_to_300_mb_is_refused_and_the_server_stays_small(server, signed_in):
    bomb = hostile.cell_bomb(megabytes=300)
    assert len(bomb) < 400 * 1024  # a small file, as in the report
    before = memory_kb(server.process.pid)

    response = upload(signed_in, "contacts.xlsx", bomb)

    after = memory_kb(server.process.pid)
    print(f"server memory before {before}, after {after} (KB)")
    assert response.status_code == 400
    assert "This workbook would unpack to 300.0 MB" in response.text
    assert after["VmHWM"] < MEMORY_CEILING_KB, (before, after)
    assert ContactImport.objects.count() == 0 and Person.objects.count() == 0
    # The server still answers, and its page lists no import.
    assert signed_in.get(reverse("imports:upload")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_sheet_of_a_million_blank_rows_is_refused_quickly(server, signed_in):
    blank = hostile.blank_rows(1_000_000)
    started = time.monotonic()

    response = upload(signed_in, "contacts.xlsx", blank)

    elapsed = time.monotonic() - started
    print(f"blank rows refused after {elapsed:.2f} s")
    assert response.status_code == 400
    assert "The sheet goes on for more than 60,001 rows" in response.text
    assert "delete the empty rows below your contacts" in response.text
    assert elapsed < 5, f"refused after {elapsed:.1f} s"
    assert memory_kb(server.process.pid)["VmHWM"] < MEMORY_CEILING_KB
    assert ContactImport.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_file_past_the_upload_ceiling_is_dropped_as_it_arrives_and_refused_in_words(tmp_path):
    # A ceiling of 1 MB (the import's own limit 0.5 MB): a 1.5 MB file reaches the form as its size
    # only, and a body far past the ceiling is answered 413 before Django reads it.
    server = Server(tmp_path, "", PODIUM_UPLOAD_MAX_MB="1", PODIUM_IMPORT_MAX_MB="0.5")
    server.start()
    try:
        client = sign_in(server)
        over = b"Email,Surname\r\n" + b"someone@example.org,Khan\r\n" * 60_000
        response = upload(client, "contacts.csv", over)
        assert response.status_code == 400
        assert f"The file is {len(over) / 1024 / 1024:.1f} MB; the limit is 0.5 MB" in response.text

        huge = b"x" * (40 * 1024 * 1024)
        started = time.monotonic()
        response = upload(client, "contacts.csv", huge)
        elapsed = time.monotonic() - started
        print(f"40 MB body answered {response.status_code} after {elapsed:.2f} s")
        assert response.status_code == 413
        assert "The file is too large" in response.text and "up to 1.0 MB" in response.text
        assert memory_kb(server.process.pid)["VmHWM"] < MEMORY_CEILING_KB
        assert ContactImport.objects.count() == 0
        client.close()
    finally:
        server.stop()


# The same limits, in this process ---------------------------------------------------------------------


def refusal(data: bytes, name: str = "contacts.xlsx") -> str:
    from podium.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        spreadsheet_read(name=name, data=data)
    return refused.value.message


def test_a_cell_longer_than_the_limit_is_refused_while_the_sheet_streams():
    # Incompressible enough to pass the ratio check and small enough to pass the size checks: only
    # the cell length stops it.
    long_text = "".join(chr(97 + (n * 7919) % 26) for n in range(MAX_CELL_CHARS + 1))
    data = hostile.workbook(
        [
            hostile.SHEET_START,
            hostile.HEADINGS_ROW,
            hostile.inline_row(2, "a@example.org", long_text),
            hostile.SHEET_END,
        ]
    )
    assert refusal(data).startswith(f"A cell in row 2 holds more than {MAX_CELL_CHARS:,} characters")


def test_a_long_shared_string_is_refused_too():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Email", "Last Name"])
    workbook.active.append(["a@example.org", "x" * (MAX_CELL_CHARS + 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert f"holds more than {MAX_CELL_CHARS:,} characters" in refusal(buffer.getvalue())


def test_a_part_packed_hundreds_of_times_is_refused_by_its_ratio(settings):
    settings.PODIUM_IMPORT_MAX_UNPACKED_MB = 1000  # not the size: the ratio alone
    message = refusal(hostile.cell_bomb(megabytes=5))
    assert message.startswith("This workbook is packed") and "times over" in message


def test_a_row_far_down_the_sheet_is_refused_without_reading_the_rows_before_it():
    far = hostile.workbook(
        [
            hostile.SHEET_START,
            hostile.HEADINGS_ROW,
            hostile.inline_row(1_000_000, "a@example.org", "Khan"),
            hostile.SHEET_END,
        ]
    )
    started = time.monotonic()
    assert "The sheet goes on for more than 60,001 rows" in refusal(far)
    assert time.monotonic() - started < 1


def test_a_workbook_with_a_doctype_is_refused():
    data = hostile.workbook(
        [
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>',
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
            hostile.HEADINGS_ROW,
            hostile.SHEET_END,
        ]
    )
    assert "Podium cannot open it" in refusal(data)


def test_a_damaged_or_encrypted_part_is_refused_in_words():
    rows = [hostile.SHEET_START, hostile.HEADINGS_ROW]
    rows += [hostile.inline_row(n, f"p{n}@example.org", f"Name {n * 7919}") for n in range(2, 2000)]
    data = bytearray(hostile.workbook([*rows, hostile.SHEET_END]))
    middle = data.index(b"xl/worksheets/sheet1.xml") + 200  # inside the packed sheet
    data[middle : middle + 64] = bytes(64)
    assert "Podium cannot open it" in refusal(bytes(data))
    encrypted = bytearray(hostile.workbook([*rows[:3], hostile.SHEET_END]))
    for at in range(len(encrypted) - 3):
        if encrypted[at : at + 4] in (b"PK\x03\x04", b"PK\x01\x02"):
            flags = at + (6 if encrypted[at + 2] == 3 else 8)
            encrypted[flags] |= 1  # the "encrypted" bit, in each local header and the directory
    assert "Podium cannot open it" in refusal(bytes(encrypted))


def test_a_workbook_of_too_many_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(1001):
            archive.writestr(f"xl/media/{n}.bin", b"")
    assert "This workbook holds 1,001 parts" in refusal(buffer.getvalue())


def test_a_csv_of_a_million_blank_lines_is_refused_and_a_long_cell_too():
    started = time.monotonic()
    assert "The sheet goes on for more than 60,001 rows" in refusal(
        b"Email,Surname\r\na@example.org,A\r\n" + b"\r\n" * 1_000_000, "c.csv"
    )
    assert time.monotonic() - started < 2
    long_line = b"Email,Surname\r\na@example.org," + b"x" * (MAX_CELL_CHARS + 1) + b"\r\n"
    assert refusal(long_line, "c.csv").startswith(f"Row 2, column 2 holds more than {MAX_CELL_CHARS:,} characters")
    huge_field = b'Email,Surname\r\na@example.org,"' + b"x" * 200_000 + b'"\r\n'
    assert "holds more than" in refusal(huge_field, "c.csv")


def test_utf16_from_excel_with_trailing_blank_lines_is_still_read():
    text = "Email\tLast Name\r\na@example.org\tMüller\r\n" + "\t\r\n" * 5000
    sheet = spreadsheet_read(name="c.txt", data=codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert sheet.rows == [[2, "a@example.org", "Müller"]]


@pytest.mark.django_db
def test_the_preview_keeps_a_small_sample_and_the_column_page_stays_small(client):
    user = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_person", "change_person"]))
    client.force_login(user)
    long_value = "y" * (MAX_CELL_CHARS - 10)
    rows = "".join(f"p{n}@example.org,{long_value}\r\n" for n in range(200))
    data = ("Email,Notes\r\n" + rows).encode()
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("c.csv", data)})
    assert response.status_code == 302
    contact_import = ContactImport.objects.get()
    assert len(contact_import.preview) == 5
    assert all(len(value) <= PREVIEW_CHARS for row in contact_import.preview for value in row[1:])
    page = client.get(reverse("imports:mapping", args=[contact_import.pk]))
    assert page.status_code == 200
    assert len(page.content) < 40_000 < len(data) // 40
