"""Contact import: mapping guessed from headings, the dry run's problems by row and column, importing
the valid rows or nothing, unreadable files, XLSX, the background task and its progress, the
`podium import-contacts` command, permissions and a query count that does not grow per row.

The demo file podium/imports/demo/nips-contacts.csv has 200 contacts and exactly six broken rows
(row numbers as a spreadsheet shows them, the headings being row 1):

  row 18   no email address
  row 47   “javed.niazi.bahria.example.edu”: not an email address (no @)
  row 83   category “VIP Guest”, not a segment
  row 121  the email address of row 36 again (written in capitals)
  row 152  consent “Maybe”
  row 176  no last name (Nadia, a new person)
"""

import codecs
import csv
import io
import sys

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.imports import services
from podium.imports.columns import mapping_errors, mapping_guess
from podium.imports.models import ContactImport
from podium.imports.rows import name_split, row_clean
from podium.imports.spreadsheet import spreadsheet_read
from podium.people.models import Designation, Person, Tag
from tests.support.browser import SHOTS
from tests.support.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

DEMO_PROBLEMS = [
    {"row": 18, "column": "Email Address", "message": "The email address is missing."},
    {"row": 47, "column": "Email Address", "message": "“javed.niazi.bahria.example.edu” is not a valid email address."},
    {
        "row": 83,
        "column": "Category",
        "message": "“VIP Guest” is not a segment Podium knows. Use one of: Statesman or official, Serving defence "
        "official, Former defence official, Diplomat, Business leader, Expert, Scholar, Student, Media, Other.",
    },
    {
        "row": 121,
        "column": "Email Address",
        "message": "The same email address is already in row 36. Each person can be in the file once: remove or "
        "merge one of the rows.",
    },
    {
        "row": 152,
        "column": "Consent",
        "message": "“Maybe” is not a yes-or-no answer. Write yes or no, or leave it empty.",
    },
    {
        "row": 176,
        "column": "Last Name",
        "message": "The family name is missing; it is needed to add someone new to the directory.",
    },
]
HEADINGS = [
    "Title",
    "First Name",
    "Last Name",
    "Designation",
    "Organization",
    "Email Address",
    "Country",
    "Category",
    "Tags",
    "Consent",
]


def csv_bytes(rows, headings=HEADINGS, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def contact(n: int, **overrides) -> list[str]:
    row = {
        "Title": "Dr.",
        "First Name": f"Given{n}",
        "Last Name": f"Family{n}",
        "Designation": "Fellow",
        "Organization": "NIPS",
        "Email Address": f"person{n}@example.org",
        "Country": "Pakistan",
        "Category": "Scholar",
        "Tags": "CPEC working group; Moscow alumni",
        "Consent": "yes",
    }
    row.update(overrides)
    return [row[h] for h in HEADINGS]


def checked_import(data: bytes, name: str = "contacts.csv") -> ContactImport:
    contact_import = services.contact_import_create(file_name=name, sheet=spreadsheet_read(name=name, data=data))
    services.contact_import_map(contact_import=contact_import, mapping=contact_import.mapping)
    contact_import.refresh_from_db()
    return contact_import


def import_now(contact_import: ContactImport) -> ContactImport:
    services.contact_import_start(contact_import=contact_import, enqueue=False)
    services.contact_import_run(import_id=contact_import.pk)
    contact_import.refresh_from_db()
    return contact_import


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_person", "change_person"]))
    client.force_login(user)
    return client


# Mapping and rows ---------------------------------------------------------------------------------


def test_mapping_is_guessed_from_headings_whatever_their_spelling():
    headers = [
        "E-mail",
        "Email address",
        "Surname",
        "First name",
        "Rank",
        "Job Title",
        "Company",
        "org",
        "Country/Region",
        "Time zone",
        "Segment",
        "Labels",
        "Opt-in",
        "Post-nominals",
        "Phone",
    ]
    assert mapping_guess(headers) == [
        "email",
        "",
        "family_name",
        "given_names",
        "honorific",
        "position",
        "organisation",
        "",
        "country",
        "time_zone",
        "segment",
        "tags",
        "consent",
        "post_nominals",
        "",
    ]
    assert mapping_guess(["Full Name", "EMAIL", "Title", "Position", "Organisation", "Last name"]) == [
        "full_name",
        "email",
        "honorific",
        "position",
        "organisation",
        "family_name",
    ]
    assert mapping_errors(headers=["Name", "Phone"], mapping=["full_name", ""]) == [
        "Choose the column that holds the email address: people are matched by it."
    ]
    assert mapping_errors(headers=["A", "B", "C"], mapping=["email", "email", "family_name"]) == [
        "“A”, “B” are all set to “Email address”. Choose one column for it and ignore the others."
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Brig (Retd) Amir Yaqub", ("Brig", True, "Amir", "Yaqub")),
        ("Maj Gen (Retd) Inam ul Haque", ("Maj Gen", True, "Inam ul", "Haque")),
        ("Dr. Atia Ali Kazmi", ("Dr.", False, "Atia Ali", "Kazmi")),
        ("Prof. Dr. Ashfaque Hasan Khan", ("Prof. Dr.", False, "Ashfaque Hasan", "Khan")),
        ("H.E. Dmitri Voronov", ("H.E.", False, "Dmitri", "Voronov")),
        ("Ambassador (Retd) Shahid M Amin", ("Ambassador", True, "Shahid M", "Amin")),
        ("Air Cdre Sohail Butt", ("Air Cdre", False, "Sohail", "Butt")),
        ("Ms Zara Khan", ("Ms", False, "Zara", "Khan")),
        ("Kozin", ("", False, "", "Kozin")),
        ("Major Haque", ("Major", False, "", "Haque")),  # one word always stays the family name
        ("Dr.", ("", False, "", "Dr.")),
    ],
)
def test_a_full_name_is_split_into_rank_given_and_family_names(text, expected):
    split = name_split(text)
    assert (split["honorific"], split["retired"], split["given_names"], split["family_name"]) == expected


def test_a_row_is_cleaned_with_synonyms_and_each_problem_in_words():
    headers = ["Rank", "Name", "Mail", "Segment", "Consent", "Zone", "Tags"]
    mapping = ["honorific", "full_name", "email", "segment", "consent", "time_zone", "tags"]
    row = row_clean(
        number=2,
        headers=headers,
        mapping=mapping,
        values=[
            "Lt Gen (Retd)",
            "Dr. Tariq  Khan",
            " Tariq.Khan@Example.ORG ",
            "academic",
            "Y",
            "asia/karachi",
            "CPEC; cpec, Moscow alumni",
        ],
    )
    assert row.problems == []
    assert row.email == "tariq.khan@example.org"
    assert row.person == {
        "honorific": "Lt Gen",
        "retired": True,
        "given_names": "Tariq",
        "family_name": "Khan",
        "segment": "scholar",
        "consent_to_contact": True,
        "time_zone": "Asia/Karachi",
    }
    assert row.tags == ["CPEC", "Moscow alumni"]  # the same tag twice is one tag
    bad = row_clean(
        number=9,
        headers=headers,
        mapping=mapping,
        values=["", "X " * 80, "x@", "Politician", "perhaps", "Karachi", "t" * 81],
    )
    assert [column for column, _ in bad.problems] == ["Mail", "Name", "Zone", "Segment", "Consent", "Tags"]
    assert "“Karachi” is not a time zone name" in bad.problems[2][1]
    assert bad.problems[1][1] == "Too long: 159 characters, at most 150 fit."


@pytest.mark.parametrize("hidden", ["\x00", "\x07", "\u202e", "\u2066", "\u200b", "\ufeff"])
def test_a_row_with_hidden_characters_in_a_name_is_refused_in_words(hidden):
    row = row_clean(
        number=3,
        headers=["Name", "Mail", "Organisation", "Tags"],
        mapping=["full_name", "email", "organisation", "tags"],
        values=[f"Dr. Amina{hidden} Rauf", "amina@example.org", f"NUST{hidden}", f"CPEC{hidden}"],
    )
    assert [column for column, _ in row.problems] == ["Name", "Organisation", "Tags"]
    assert all("hidden characters" in message for _, message in row.problems)


# The demo file: dry run, then the valid rows ------------------------------------------------------


def test_demo_dry_run_lists_exactly_the_broken_rows_and_changes_nothing(staff):
    response = staff.post(reverse("imports:demo"))
    contact_import = ContactImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:mapping", args=[contact_import.pk])

    page = staff.get(response.url).content.decode()
    assert '<option value="email" selected>Email address</option>' in page  # guessed
    assert page.count('<tr><th scope="row">') == 5  # the first five rows are previewed
    form = {f"column_{i}": key for i, key in enumerate(contact_import.mapping)}
    assert contact_import.mapping == [
        "honorific",
        "given_names",
        "family_name",
        "position",
        "organisation",
        "email",
        "country",
        "segment",
        "tags",
        "consent",
    ]
    response = staff.post(reverse("imports:mapping", args=[contact_import.pk]), form)
    assert response.status_code == 302

    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.CHECKED
    assert contact_import.problems == DEMO_PROBLEMS
    assert (
        contact_import.total_rows,
        contact_import.valid_rows,
        contact_import.problem_rows,
        contact_import.to_create,
        contact_import.to_update,
    ) == (200, 194, 6, 194, 0)
    page = staff.get(response.url).content.decode()
    assert "Dry run: nothing has been imported yet" in page
    assert "Import the 194 valid rows" in page and "Cancel — import nothing" in page
    assert '<td class="num">121</td><td>Email Address</td>' in page
    assert Person.objects.count() == 0 and Tag.objects.count() == 0


def test_a_mapping_without_an_email_column_is_refused_on_the_page(staff):
    staff.post(reverse("imports:demo"))
    contact_import = ContactImport.objects.get()
    form = {f"column_{i}": key for i, key in enumerate(contact_import.mapping)}
    form["column_5"] = ""  # Email Address ignored
    response = staff.post(reverse("imports:mapping", args=[contact_import.pk]), form)
    assert response.status_code == 400
    assert "Choose the column that holds the email address" in response.content.decode()
    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.UPLOADED


def test_importing_the_valid_rows_updates_people_matched_by_email_and_never_duplicates(staff):
    # Row 2 of the demo file is Sadia Bibi Tarar; she is already in the directory, her address in other case.
    sadia = Person.objects.create(
        family_name="Tarar", given_names="Sadia", email="sadia.tarar25@example.com", country="", segment=""
    )
    Person.objects.filter(pk=sadia.pk).update(email="Sadia.Tarar25@EXAMPLE.com")
    Designation.objects.create(person=sadia, position="Intern", organisation="", order=0)
    sadia.tags.add(Tag.objects.create(name="Alumni"))

    staff.post(reverse("imports:demo"))
    contact_import = ContactImport.objects.get()
    staff.post(
        reverse("imports:mapping", args=[contact_import.pk]),
        {f"column_{i}": key for i, key in enumerate(contact_import.mapping)},
    )
    contact_import.refresh_from_db()
    assert (contact_import.to_create, contact_import.to_update) == (193, 1)

    response = staff.post(reverse("imports:decide", args=[contact_import.pk]), {"choice": "valid"})
    assert response.status_code == 302
    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.IMPORTING
    services.contact_import_run(import_id=contact_import.pk)  # what the worker does

    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.DONE
    assert (contact_import.created_count, contact_import.updated_count, contact_import.skipped_count) == (193, 1, 6)
    assert contact_import.rows == []  # no second copy of the contacts is kept
    assert Person.objects.count() == 194
    sadia.refresh_from_db()
    assert (sadia.given_names, sadia.country, sadia.segment, sadia.consent_to_contact) == (
        "Sadia Bibi",
        "Pakistan",
        "student",
        True,
    )
    assert (
        sadia.first_mention
        == "Ms. Sadia Bibi Tarar, BS International Relations, NUST School of Social Sciences & Humanities"
    )
    assert sadia.designations.count() == 1
    assert sorted(sadia.tags.values_list("name", flat=True)) == ["Alumni"]  # the file has no tags for her

    # The skipped rows are not in the directory; the others are, with their ranks and segments.
    assert not Person.objects.filter(
        email__in=[
            "javed.niazi.bahria.example.edu",
            "sohail.mirza@prf.example.org",
            "ayesha.baloch@icat.example.org",
            "nadia.hashmi@pu.example.edu",
        ]
    ).exists()
    assert not Person.objects.filter(given_names="Nadia", family_name="").exists()
    assert Person.objects.filter(email="fahad.hussain@numl.example.edu").count() == 1  # row 36, not row 121
    retired = Person.objects.get(email="faisal.afridi@ipri.example.org")  # row 22
    assert retired.first_mention == "Maj Gen (Retd) Faisal Afridi, President, Islamabad Policy Research Institute"
    assert retired.segment == "former_defence"
    assert Tag.objects.get(name="Moscow alumni").people.count() > 10

    page = staff.get(reverse("imports:detail", args=[contact_import.pk])).content.decode()
    assert "Import finished" in page and "193</span> people added" in page
    assert reverse("audience:people") in page

    # The same file again: everyone is matched, nobody is added twice, slugs stay unique.
    again = checked_import(services.DEMO_FILE.read_bytes())
    assert (again.to_create, again.to_update) == (0, 194)
    again = import_now(again)
    assert (again.created_count, again.updated_count) == (0, 194)
    assert Person.objects.count() == 194
    assert Person.objects.values("slug").distinct().count() == 194


def test_choosing_nothing_changes_nothing(staff):
    staff.post(reverse("imports:demo"))
    contact_import = ContactImport.objects.get()
    staff.post(
        reverse("imports:mapping", args=[contact_import.pk]),
        {f"column_{i}": key for i, key in enumerate(contact_import.mapping)},
    )
    response = staff.post(reverse("imports:decide", args=[contact_import.pk]), {"choice": "nothing"}, follow=True)
    assert "Cancelled. Nothing was imported" in response.content.decode()
    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.CANCELLED and contact_import.rows == []
    assert Person.objects.count() == 0 and Tag.objects.count() == 0 and Designation.objects.count() == 0
    # A cancelled import cannot be started afterwards.
    staff.post(reverse("imports:decide", args=[contact_import.pk]), {"choice": "valid"})
    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.CANCELLED and Person.objects.count() == 0


def test_slugs_of_new_people_stay_unique_next_to_existing_ones():
    Person.objects.create(given_names="Ali", family_name="Khan")  # slug ali-khan
    Person.objects.create(given_names="Ali", family_name="Khan")  # ali-khan-2
    rows = [contact(n, **{"First Name": "Ali", "Last Name": "Khan"}) for n in range(3)]
    import_now(checked_import(csv_bytes(rows)))
    assert sorted(Person.objects.values_list("slug", flat=True)) == [
        "ali-khan",
        "ali-khan-2",
        "ali-khan-3",
        "ali-khan-4",
        "ali-khan-5",
    ]


# Files that cannot be read ---------------------------------------------------------------------------

XLSX_BROKEN = b"PK\x03\x04" + b"\x00" * 200
UNREADABLE = [
    (
        "latin-1.csv",
        "Title,First Name,Last Name,Email Address\nDr.,José,Müller,jose@example.org\n".encode("latin-1"),
        "The file is not saved as UTF-8 text, so its accented or non-Latin letters would come out garbled (the first "
        "one Podium cannot read is on line 2). In Excel choose File › Save As and the type “CSV UTF-8",
    ),
    ("picture.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This file is a PNG image, not a spreadsheet."),
    ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This file is a PDF document, not a spreadsheet."),
    ("binary.csv", b"\x01\x02\x00\x00\xfe\xff\xfa" * 50, "This file is not a spreadsheet (it holds binary data)."),
    ("empty.csv", b"", "The file is empty."),
    ("blank.csv", b" \r\n\r\n", "The file is empty."),
    ("headings.csv", b"Email,Name\r\n,\r\n", "The file has column headings but no rows of contacts under them."),
    ("broken.xlsx", XLSX_BROKEN, "This file looks like an Excel workbook but Podium cannot open it"),
    ("budget.ods", b"PK\x03\x04" + b"\x00" * 100, "not OpenDocument or Numbers files"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel 97–2003 workbook (.xls)"),
]


@pytest.mark.parametrize("name, data, message", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_an_unreadable_file_gets_a_clear_error_and_nothing_is_stored(staff, name, data, message):
    response = staff.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert 'aria-invalid="true"' in response.content.decode()
    assert ContactImport.objects.count() == 0 and Person.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(staff, settings):
    settings.PODIUM_IMPORT_MAX_MB = 0.001
    response = staff.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("big.csv", csv_bytes([contact(n) for n in range(50)]))}
    )
    assert response.status_code == 400
    assert "the limit is 0.001 MB. Split it into smaller files" in response.content.decode()
    assert ContactImport.objects.count() == 0


def test_semicolons_tabs_utf16_and_a_byte_order_mark_are_read():
    rows = [contact(1, **{"Last Name": "Müller"}), contact(2)]
    for data in (
        csv_bytes(rows, delimiter=";"),
        csv_bytes(rows, delimiter="\t"),
        codecs.BOM_UTF8 + csv_bytes(rows),
        codecs.BOM_UTF16_LE + csv_bytes(rows, encoding="utf-16-le"),
    ):
        sheet = spreadsheet_read(name="x.csv", data=data)
        assert sheet.headers == HEADINGS
        assert [row[0] for row in sheet.rows] == [2, 3]
        assert sheet.rows[0][3] == "Müller"


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does():
    data = b"Email,Surname\r\na@example.org,A\r\n\r\nbad-address,B\r\n"
    contact_import = checked_import(data)
    assert contact_import.problems == [
        {"row": 4, "column": "Email", "message": "“bad-address” is not a valid email address."}
    ]


# Excel ------------------------------------------------------------------------------------------------


def test_an_excel_workbook_is_imported(staff):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Full Name", "E-mail", "Company", "Job Title", "Segment", "Opt-in", "Time Zone", "Phone"])
    sheet.append(
        [
            "Maj Gen (Retd) Inam ul Haque",
            "INAM@example.org",
            "NIPS",
            "Adviser",
            "Former defence official",
            True,
            "Asia/Karachi",
            923001234567,
        ]
    )
    sheet.append(
        ["Dr. Vladimir Kozin", "kozin@example.org", "MGIMO", "Leading Expert", "expert", 1, "Europe/Moscow", None]
    )
    sheet.append([None, None, None, None, None, None, None, None])
    sheet.append(["Ms. Zara Khan", "zara@example.org", None, None, "Students", "no", "Mars/Olympus", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = staff.post(reverse("imports:upload"), {"file": SimpleUploadedFile("contacts.xlsx", buffer.getvalue())})
    contact_import = ContactImport.objects.get()
    assert response.url == reverse("imports:mapping", args=[contact_import.pk])
    assert contact_import.file_format == "Excel workbook"
    assert contact_import.mapping == [
        "full_name",
        "email",
        "organisation",
        "position",
        "segment",
        "consent",
        "time_zone",
        "",
    ]
    services.contact_import_map(contact_import=contact_import, mapping=contact_import.mapping)
    contact_import.refresh_from_db()
    assert contact_import.problems == [
        {
            "row": 5,
            "column": "Time Zone",
            "message": "“Mars/Olympus” is not a time zone name. Use a name such as Asia/Karachi or Europe/London.",
        }
    ]
    import_now(contact_import)
    haque = Person.objects.get(email="inam@example.org")
    assert haque.first_mention == "Maj Gen (Retd) Inam ul Haque, Adviser, NIPS"
    assert (haque.segment, haque.consent_to_contact, haque.time_zone) == ("former_defence", True, "Asia/Karachi")
    assert Person.objects.get(email="kozin@example.org").later_mention == "Dr. Kozin"
    assert not Person.objects.filter(email="zara@example.org").exists()


# The background task and its progress -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_large_import_runs_in_the_worker_and_reports_progress_by_chunk(staff, monkeypatch):
    data = csv_bytes([contact(n) for n in range(1200)])
    staff.post(reverse("imports:upload"), {"file": SimpleUploadedFile("large.csv", data)})
    contact_import = ContactImport.objects.get()
    staff.post(
        reverse("imports:mapping", args=[contact_import.pk]),
        {f"column_{i}": key for i, key in enumerate(contact_import.mapping)},
    )
    staff.post(reverse("imports:decide", args=[contact_import.pk]), {"choice": "valid"})

    progress_url = reverse("imports:progress", args=[contact_import.pk])
    assert staff.get(progress_url).json() == {
        "status": "importing",
        "status_label": "Importing",
        "processed": 0,
        "total": 1200,
        "progress_text": "0 of 1,200 rows",
        "created": 0,
        "updated": 0,
        "skipped": 0,
        "finished": False,
    }
    page = staff.get(reverse("imports:detail", args=[contact_import.pk])).content.decode()
    assert '<progress max="1200" value="0"' in page and "0 of 1,200 rows" in page
    assert '<meta http-equiv="refresh" content="3">' in page and "imports/progress.js" in page

    seen = []
    chunk_import = services._chunk_import

    def watched(**kwargs):
        done = chunk_import(**kwargs)
        seen.append(staff.get(progress_url).json()["progress_text"])
        return done

    monkeypatch.setattr(services, "_chunk_import", watched)
    run_queued_tasks()
    assert seen == ["500 of 1,200 rows", "1,000 of 1,200 rows", "1,200 of 1,200 rows"]
    final = staff.get(progress_url).json()
    assert final["status"] == "done" and final["finished"] and final["created"] == 1200
    assert Person.objects.count() == 1200


def test_an_import_that_died_midway_resumes_after_its_last_chunk_without_duplicates(staff, monkeypatch):
    contact_import = checked_import(csv_bytes([contact(n) for n in range(1100)]))
    services.contact_import_start(contact_import=contact_import, enqueue=False)
    write = services.people_write
    calls = []

    def dies_in_second_chunk(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return write(**kwargs)

    monkeypatch.setattr(services, "people_write", dies_in_second_chunk)
    with pytest.raises(RuntimeError):
        services.contact_import_run(import_id=contact_import.pk)
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.processed_rows, contact_import.created_count) == ("failed", 500, 500)
    assert Person.objects.count() == 500  # the second chunk rolled back whole
    page = staff.get(reverse("imports:detail", args=[contact_import.pk])).content.decode()
    assert "The import stopped after 500 of 1,100 rows: RuntimeError: worker killed" in page

    monkeypatch.setattr(services, "people_write", write)
    staff.post(reverse("imports:resume", args=[contact_import.pk]))
    services.contact_import_run(import_id=contact_import.pk)
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.created_count, contact_import.updated_count) == ("done", 1100, 0)
    assert Person.objects.count() == 1100

    # A run that finds its chunk already done by another stops without writing.
    assert services._chunk_import(import_id=contact_import.pk, start=0, end=500, rows=[]) is False


def test_a_stalled_import_can_be_resumed_from_the_page_but_a_running_one_cannot(staff):
    contact_import = checked_import(csv_bytes([contact(1)]))
    services.contact_import_start(contact_import=contact_import, enqueue=False)
    response = staff.post(reverse("imports:resume", args=[contact_import.pk]), follow=True)
    assert "This import is running or finished" in response.content.decode()
    ContactImport.objects.filter(pk=contact_import.pk).update(updated_at=contact_import.updated_at.replace(year=2000))
    page = staff.get(reverse("imports:detail", args=[contact_import.pk])).content.decode()
    assert "The import has not moved for a few minutes" in page
    response = staff.post(reverse("imports:resume", args=[contact_import.pk]), follow=True)
    assert "The import continues" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweep_resumes_a_stalled_import_by_itself(staff):
    from django_tasks_db.models import DBTaskResult

    contact_import = checked_import(csv_bytes([contact(n) for n in range(3)]))
    services.contact_import_start(contact_import=contact_import, enqueue=False)
    assert services.contact_imports_sweep() == 0  # still fresh: its worker may be busy
    ContactImport.objects.filter(pk=contact_import.pk).update(updated_at=contact_import.updated_at.replace(year=2000))
    assert services.contact_imports_sweep() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="run_contact_import").count() == 1
    run_queued_tasks()
    contact_import.refresh_from_db()
    assert contact_import.status == ContactImport.Status.DONE and Person.objects.count() == 3


# The command -----------------------------------------------------------------------------------------


def test_command_dry_run_lists_the_problems_and_changes_nothing(capsys):
    with pytest.raises(CommandError, match=r"Dry run: 6 rows with problems\. Nothing was changed\."):
        call_command("import_contacts", str(services.DEMO_FILE), "--dry-run")
    out = capsys.readouterr().out
    for problem in DEMO_PROBLEMS:
        assert f"Row {problem['row']}, “{problem['column']}”: {problem['message']}" in out
    assert "194 rows valid (194 new, 0 would update people already in the directory); 6 with problems." in out
    assert Person.objects.count() == 0 and ContactImport.objects.count() == 0


def test_command_refuses_problems_without_valid_only_then_imports_the_valid_rows(capsys):
    with pytest.raises(CommandError, match="6 rows have problems, so nothing was imported"):
        call_command("import_contacts", str(services.DEMO_FILE))
    assert Person.objects.count() == 0
    assert ContactImport.objects.get().status == ContactImport.Status.CANCELLED

    call_command("import_contacts", str(services.DEMO_FILE), "--valid-only")
    captured = capsys.readouterr()
    assert "Imported: 194 added, 0 updated, 6 rows skipped because of problems." in captured.out
    assert "\r[##############################] 200 of 200 rows" in captured.err
    assert Person.objects.count() == 194


def test_command_map_option(tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(
        csv_bytes([["Shahid M Amin", "amin@example.org", "Retired diplomat"]], headings=["Who", "Contact", "Kind"])
    )
    with pytest.raises(CommandError, match="Choose the column that holds the email address"):
        call_command("import_contacts", str(path))
    with pytest.raises(CommandError, match="the file has no column “Mail”"):
        call_command("import_contacts", str(path), "--map", "Mail=email")
    call_command("import_contacts", str(path), "--map", "Who=full_name", "--map", "2=email", "--map", "Kind=ignore")
    assert "Imported: 1 added" in capsys.readouterr().out
    assert Person.objects.get().styled_name == "Shahid M Amin"


def test_podium_import_contacts_runs_the_import_contacts_command(monkeypatch):
    from podium import cli

    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    monkeypatch.setattr(sys, "argv", ["podium", "import-contacts", "list.csv", "--dry-run"])
    cli.main()
    monkeypatch.setattr(sys, "argv", ["podium", "--help"])
    cli.main()
    assert seen == [["podium", "import_contacts", "list.csv", "--dry-run"], ["podium", "--help"]]


# Permissions and queries -------------------------------------------------------------------------------


def test_pages_need_a_signed_in_user_with_the_directory_permissions(client):
    contact_import = checked_import(csv_bytes([contact(1)]))
    urls = [
        reverse("imports:upload"),
        reverse("imports:detail", args=[contact_import.pk]),
        reverse("imports:mapping", args=[contact_import.pk]),
        reverse("imports:progress", args=[contact_import.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("staff:login"))
    assert client.post(reverse("imports:demo")).status_code == 302
    user = get_user_model().objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_person", "view_person"]))
    client.force_login(user)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("imports:demo")).status_code == 403
    assert client.post(reverse("imports:decide", args=[contact_import.pk]), {"choice": "valid"}).status_code == 403
    assert ContactImport.objects.count() == 1 and Person.objects.count() == 0


def test_the_staff_nav_links_to_the_import(staff):
    page = staff.get(reverse("imports:upload")).content.decode()
    assert f'<a href="{reverse("imports:upload")}">Import contacts</a>' in page
    assert "Use the demo contacts file" in page


def _write_queries(rows: int) -> tuple[int, int]:
    """SELECTs and writes of importing `rows` rows in one chunk, half of them people already there."""
    for n in range(0, rows, 2):
        Person.objects.create(family_name=f"Old{n}", email=f"person{n}@example.org")
    contact_import = checked_import(csv_bytes([contact(n, Tags=f"Tag{n % 7}; Shared") for n in range(rows)]))
    services.contact_import_start(contact_import=contact_import, enqueue=False)
    with CaptureQueriesContext(connection) as ctx:
        services.contact_import_run(import_id=contact_import.pk)
    assert Person.objects.filter(email__startswith="person").count() == rows
    Person.objects.all().delete()
    Tag.objects.all().delete()
    selects = sum(1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))
    return selects, len(ctx.captured_queries) - selects


def test_importing_more_rows_does_not_cost_more_queries_per_row():
    selects_50, writes_50 = _write_queries(50)
    selects_500, writes_500 = _write_queries(500)
    assert selects_500 == selects_50
    if connection.features.max_query_params is None:  # PostgreSQL: one statement per bulk write
        assert writes_500 == writes_50
    else:
        # SQLite: Django splits bulk inserts at max_query_params (999) parameters; a row takes at most 20,
        # so each of the four bulk inserts (people, designations, tags, tag links) needs at most
        # ceil(rows / (max_query_params // 20)) statements. Updates are one executemany each.
        per_statement = connection.features.max_query_params // 20
        assert writes_500 - writes_50 <= 4 * -(-500 // per_statement)
    assert writes_500 + selects_500 < 60


# In a real browser -----------------------------------------------------------------------------------


@pytest.fixture
def browser_page(browser, live_server, transactional_db, settings):
    settings.SITE_URL = live_server.url
    user = get_user_model().objects.create_user("clerk", password="browser-test-pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_person", "change_person", "view_person", "view_registration"])
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("staff:login"))
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("browser-test-pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/**")
    yield page
    page.close()


@pytest.mark.browser
def test_a_newcomer_imports_the_demo_file_in_the_browser(browser_page, live_server):

    shots = SHOTS
    shots.mkdir(exist_ok=True)
    page = browser_page
    page.get_by_role("link", name="Import contacts").click()
    page.get_by_role("heading", name="Import contacts").wait_for()
    page.get_by_label("Spreadsheet:").set_input_files(
        files=[
            {
                "name": "old-export.csv",
                "mimeType": "text/csv",
                "buffer": "Name,Email\nJosé Müller,jose@example.org\n".encode("cp1252"),
            }
        ]
    )
    page.get_by_role("button", name="Upload and continue").click()
    # Beside the field, and in the error summary above the form as a link to it.
    page.locator("#id_file_error").get_by_text("The file is not saved as UTF-8 text").wait_for()
    page.locator("[data-error-summary]").get_by_role("link", name="Spreadsheet: The file is not saved").wait_for()
    assert page.get_by_label("Spreadsheet:").get_attribute("aria-invalid") == "true"
    page.screenshot(path=shots / "import-upload-error.png", full_page=True)
    page.get_by_role("button", name="Use the demo contacts file").click()

    page.get_by_role("heading", name="Match the columns").wait_for()
    assert page.get_by_label("Email Address").input_value() == "email"
    assert page.get_by_label("Category").input_value() == "segment"
    page.get_by_label("Country").select_option(label="Ignore this column")  # editable; put back below
    page.get_by_label("Country").select_option(label="Country")
    page.screenshot(path=shots / "import-mapping.png", full_page=True)
    page.get_by_role("button", name="Check the file").click()

    page.get_by_role("heading", name="Check before importing").wait_for()
    problems = page.locator(".problems-table tbody tr")
    assert problems.count() == 6
    assert [problems.nth(i).locator("td").first.inner_text() for i in range(6)] == [
        "18",
        "47",
        "83",
        "121",
        "152",
        "176",
    ]
    page.screenshot(path=shots / "import-dry-run.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path=shots / "import-dry-run-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Import the 194 valid rows").click()

    page.get_by_role("heading", name="Importing…").wait_for()
    assert page.locator("progress").get_attribute("max") == "200"
    assert page.locator("#progress-text").inner_text() == "0 of 200 rows"
    page.screenshot(path=shots / "import-progress.png", full_page=True)
    run_queued_tasks()  # the background worker picks the import up; the page polls and shows the summary
    page.get_by_role("heading", name="Import finished").wait_for(timeout=10_000)
    assert "194 people added" in page.locator(".counts").inner_text().replace("\n", " ")
    page.screenshot(path=shots / "import-done.png", full_page=True)
    page.get_by_role("link", name="Open the directory").click()
    page.get_by_role("heading", name="Directory").wait_for()
    assert Person.objects.count() == 194


def test_an_import_that_changes_a_speakers_designation_updates_what_search_finds(
    make_event, add_speaker, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from podium.imports.rows import ContactRow
    from podium.search.selectors import search
    from podium.search.services import search_index_rebuild

    event = make_event(title="Water and Energy")
    speaker = add_speaker(
        event,
        family_name="Baqai",
        given_names="Huma",
        email="huma@example.org",
        designations=[("Rector", "Old Institute", True)],
    )
    search_index_rebuild()
    assert [hit.title for hit in search(query="Old Institute", kind="person")] == [speaker.person.styled_name]
    with django_capture_on_commit_callbacks(execute=True):
        services.people_write(
            rows=[
                ContactRow(
                    number=2,
                    email="huma@example.org",
                    person={"bio": "Hydrologist"},
                    position="Rector",
                    organisation="Millennium Institute",
                )
            ],
            now=timezone.now(),
        )
    assert search(query="Old Institute", kind="person") == []
    assert [hit.title for hit in search(query="Millennium", kind="person")] == [speaker.person.styled_name]
