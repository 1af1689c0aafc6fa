"""Reading an uploaded spreadsheet (CSV or Excel .xlsx) into headings and rows of text, or a clear refusal.

Nothing here touches the database: a file that cannot be read is refused before anything is stored.
"""

import codecs
import csv
import datetime
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings

from podium.core.errors import ApplicationError

MAX_COLUMNS = 200
SAVE_AS_HINT = (
    "In Excel choose File › Save As and the type “CSV UTF-8 (Comma delimited) (*.csv)”, "
    "or upload the Excel workbook (.xlsx) itself."
)
# Signatures of files people upload by mistake, to name what they uploaded.
NOT_A_SPREADSHEET = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
]


@dataclass
class Sheet:
    file_format: str
    headers: list[str]
    # Each row: [spreadsheet row number, value, value, ...]; blank rows are left out.
    rows: list[list] = field(default_factory=list)


def max_bytes() -> int:
    return int(settings.PODIUM_IMPORT_MAX_MB * 1024 * 1024)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def size_check(size: int) -> None:
    if size > max_bytes():
        raise ApplicationError(
            f"The file is {_size(size)}; the limit is {settings.PODIUM_IMPORT_MAX_MB:g} MB. "
            "Split it into smaller files and import them one after the other."
        )


def spreadsheet_read(*, name: str, data: bytes) -> Sheet:
    """Headings and non-blank rows of a CSV or .xlsx file; ApplicationError when it cannot be read."""
    size_check(len(data))
    if not data.strip():
        raise ApplicationError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        if name.lower().endswith((".ods", ".numbers")):
            raise ApplicationError(
                "Podium reads Excel workbooks (.xlsx) and CSV files, not OpenDocument or Numbers files. "
                "Save the sheet as .xlsx or as “CSV UTF-8” and upload that."
            )
        records, file_format = _xlsx_records(data), "Excel workbook"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ApplicationError(
            "This is an old-style Excel 97–2003 workbook (.xls), which Podium cannot read. "
            "Open it in Excel and save it as an Excel Workbook (.xlsx) or as “CSV UTF-8”."
        )
    else:
        for signature, what in NOT_A_SPREADSHEET:
            if data.startswith(signature):
                raise ApplicationError(
                    f"This file is {what}, not a spreadsheet. Upload a CSV file or an Excel workbook (.xlsx)."
                )
        records, file_format = _csv_records(_text(data)), "CSV"
    return _sheet(records, file_format)


# CSV ------------------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark; nothing is guessed."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ApplicationError(
                "The file says it is UTF-16 text but it cannot be read as such. " + SAVE_AS_HINT
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if b"\x00" in data[:4096]:
            raise ApplicationError(
                "This file is not a spreadsheet (it holds binary data). Upload a CSV file or an Excel workbook (.xlsx)."
            ) from None
        line = data[: error.start].count(b"\n") + 1
        raise ApplicationError(
            f"The file is not saved as UTF-8 text, so its accented or non-Latin letters would come out garbled "
            f"(the first one Podium cannot read is on line {line}). {SAVE_AS_HINT}"
        ) from None


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the heading line uses most, outside quotes."""
    first_line: list[str] = []
    quoted = False
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted and first_line:
            break
        first_line.append(char)
    line = "".join(first_line)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(text: str):
    if "\x00" in text:
        raise ApplicationError(
            "This file is not a spreadsheet (it holds binary data). Upload a CSV file or an Excel workbook (.xlsx)."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
    try:
        for record in reader:
            yield [value.strip() for value in record]
    except csv.Error as error:
        raise ApplicationError(
            f"The file cannot be read as CSV (record {reader.line_num}: {error}). {SAVE_AS_HINT}"
        ) from None


# XLSX -----------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_records(data: bytes):
    import openpyxl

    unreadable = (
        "This file looks like an Excel workbook but Podium cannot open it: it may be damaged, "
        "password-protected or another kind of file (only .xlsx workbooks are read, not .ods or .numbers). "
        "Open it in Excel and save it again as .xlsx, or as “CSV UTF-8”."
    )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter for values.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ApplicationError(unreadable) from error
    try:
        if not workbook.worksheets:
            raise ApplicationError("The workbook has no sheets.")
        sheet = workbook.worksheets[0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheet.reset_dimensions()  # some tools write a wrong size; read until the data ends
            for values in sheet.iter_rows(values_only=True):
                yield [_cell_text(value) for value in values]
    except ApplicationError:
        raise
    except Exception as error:
        raise ApplicationError(unreadable) from error
    finally:
        workbook.close()


# Both -----------------------------------------------------------------------------------------


def _sheet(records, file_format: str) -> Sheet:
    max_rows = settings.PODIUM_IMPORT_MAX_ROWS
    headers: list[str] | None = None
    rows: list[list] = []
    for number, record in enumerate(records, start=1):
        if not any(record):
            continue
        if headers is None:
            while record and not record[-1]:
                record.pop()
            if len(record) > MAX_COLUMNS:
                raise ApplicationError(
                    f"The first row has {len(record)} columns; Podium reads at most {MAX_COLUMNS}. "
                    "Is this the right file? The first row must hold the column headings."
                )
            headers = [value or f"Column {i}" for i, value in enumerate(record, start=1)]
            continue
        if len(rows) >= max_rows:
            raise ApplicationError(
                f"The file has more than {max_rows:,} rows of contacts. "
                "Split it into smaller files and import them one after the other."
            )
        values = record[: len(headers)]
        values += [""] * (len(headers) - len(values))
        if any(values):
            rows.append([number, *values])
    if headers is None:
        raise ApplicationError("The file is empty.")
    if not rows:
        raise ApplicationError("The file has column headings but no rows of contacts under them.")
    return Sheet(file_format=file_format, headers=headers, rows=rows)
