"""Reading an uploaded spreadsheet (CSV or Excel .xlsx) into headings and rows of text, or a clear refusal.

Nothing here touches the database: a file that cannot be read is refused before anything is stored.
A hostile file costs bounded memory and time: an .xlsx is a zip, so its members' sizes, their
compression ratio and the length of every cell and the number of rows are checked (streaming, a
chunk at a time) before openpyxl opens it; CSV files are bounded by their size, cell length and rows.
"""

import codecs
import csv
import datetime
import io
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings

from podium.core.errors import ApplicationError

MAX_COLUMNS = 200
# No contact detail comes near this; a longer cell is a wrong file or a hostile one.
MAX_CELL_CHARS = 10_000
# Rows read beyond the limit of rows of contacts, for blank rows (Excel keeps rows once formatted).
BLANK_ROWS_ALLOWED = 10_000
MAX_CELLS_PER_ROW = 40  # on average, over the whole file: a contacts sheet has a dozen columns
# An .xlsx holds about a dozen parts, each XML packed 5 to 20 times; a bomb packs hundreds of times.
MAX_ZIP_MEMBERS = 1000
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024  # smaller parts cannot hurt whatever their ratio
SCAN_CHUNK = 64 * 1024
# Kept for the mapping page: its first rows, each cell cut to this length.
PREVIEW_CHARS = 100
HEADING_CHARS = 100
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


def max_unpacked_bytes() -> int:
    return int(settings.PODIUM_IMPORT_MAX_UNPACKED_MB * 1024 * 1024)


def max_rows_read() -> int:
    """Rows read at most, blank or not: the rows of contacts allowed and some blank ones."""
    return settings.PODIUM_IMPORT_MAX_ROWS + 1 + BLANK_ROWS_ALLOWED


def _too_many_rows() -> ApplicationError:
    return ApplicationError(
        f"The sheet goes on for more than {max_rows_read():,} rows; Podium reads at most "
        f"{settings.PODIUM_IMPORT_MAX_ROWS:,} rows of contacts. If most of them are blank (spreadsheets keep "
        "rows that were once formatted), delete the empty rows below your contacts and upload the file again; "
        "otherwise split it into smaller files and import them one after the other."
    )


def _cell_too_long(where: str) -> ApplicationError:
    return ApplicationError(
        f"{where} holds more than {MAX_CELL_CHARS:,} characters; no contact detail is that long. "
        "Is this the right file? Remove the long text and upload it again."
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
        scan = _xlsx_check(data)
        records, file_format = _xlsx_records(data, max_col=scan.max_col), "Excel workbook"
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
            yield [value.strip() for value in record[: MAX_COLUMNS + 1]]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _cell_too_long(f"Record {reader.line_num} of the file") from None
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


class _XlsxScan:
    """Counts of one XML part of a workbook, kept while expat streams through it. Text counts towards the
    cell (or shared string) last opened, until the next one opens: no end-tag handler, a third fewer calls."""

    def __init__(self):
        self.rows = self.cells = self.max_col = 0
        self.row_number = 0
        self.text_in = ""  # "c" in a cell, "si" in a shared string, "" elsewhere
        self.text_length = 0
        self.row_limit = max_rows_read()
        self.cell_limit = self.row_limit * MAX_CELLS_PER_ROW

    def start(self, name: str, attributes: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            self.cells += 1
            if self.cells > self.cell_limit:
                raise ApplicationError(
                    f"The sheet has more than {self.cell_limit:,} cells; a sheet of contacts has far fewer. "
                    "Is this the right file? Save only the contacts as “CSV UTF-8” and upload that."
                )
            letters = attributes.get("r", "").rstrip("0123456789")
            if len(letters) > 1:  # only columns after Z can be beyond MAX_COLUMNS
                column = 0
                for letter in letters:
                    column = column * 26 + ord(letter) - 64
                self.max_col = max(self.max_col, column)
            self.text_in, self.text_length = "c", 0
        elif local == "row":
            self.rows += 1
            number = attributes.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            if self.rows > self.row_limit or self.row_number > self.row_limit:
                raise _too_many_rows()
            self.text_in = ""
        elif local == "si":
            self.text_in, self.text_length = "si", 0

    def text(self, data: str) -> None:
        if self.text_in:
            self.text_length += len(data)
            if self.text_length > MAX_CELL_CHARS:
                where = f"A cell in row {self.row_number:,}" if self.text_in == "c" else "A cell of the workbook"
                raise _cell_too_long(where)


@dataclass
class XlsxScan:
    max_col: int | None  # read at most this many columns: a row with a far-off cell costs nothing


def _xlsx_check(data: bytes) -> XlsxScan:
    """Refuse a workbook that would unpack too large, or hold too long a cell or too many rows, before
    openpyxl reads it: the zip's own sizes first, then each XML part streamed through expat a chunk at
    a time (zipfile stops a member at its declared size, so the declared sizes hold)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise ApplicationError(UNREADABLE_XLSX) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise ApplicationError(
            f"This workbook holds {len(members):,} parts; an Excel workbook has a few dozen. " + UNREADABLE_XLSX
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked_bytes():
        raise ApplicationError(
            f"This workbook would unpack to {_size(unpacked)}; Podium reads workbooks that unpack to at most "
            f"{settings.PODIUM_IMPORT_MAX_UNPACKED_MB:g} MB. Save the contacts as “CSV UTF-8” or split them "
            "into smaller workbooks."
        )
    for member in members:
        if member.file_size > RATIO_CHECKED_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ApplicationError(
                f"This workbook is packed {member.file_size // max(member.compress_size, 1):,} times over, "
                "far more than a spreadsheet of contacts can be. Is this the right file? "
                "Open it in Excel and save it again, or save the contacts as “CSV UTF-8”."
            )
    max_col = 0
    try:
        for member in members:
            if not member.is_dir():
                max_col = max(max_col, _xml_scan(archive, member))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # a damaged deflate stream
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # encrypted
        ValueError,
        OSError,
        EOFError,
    ) as error:
        raise ApplicationError(UNREADABLE_XLSX) from error
    return XlsxScan(max_col=MAX_COLUMNS + 1 if max_col > MAX_COLUMNS else None)


def _no_doctype(*args) -> None:
    raise ApplicationError(UNREADABLE_XLSX)


def _xml_scan(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Stream one part through expat; returns the furthest column a cell is in. Parts that are not XML
    (images, macros) are left alone: openpyxl does not read them as sheets either."""
    scan = _XlsxScan()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = scan.start
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = _no_doctype  # no entities to expand: a workbook never declares any
    with archive.open(member) as part:
        chunk = part.read(SCAN_CHUNK)
        head = chunk.removeprefix(codecs.BOM_UTF8).lstrip()
        if not head.startswith(b"<") and not chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return 0
        try:
            while chunk:
                parser.Parse(chunk, False)
                chunk = part.read(SCAN_CHUNK)
            parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise ApplicationError(UNREADABLE_XLSX) from error
    return scan.max_col


UNREADABLE_XLSX = (
    "This file looks like an Excel workbook but Podium cannot open it: it may be damaged, "
    "password-protected or another kind of file (only .xlsx workbooks are read, not .ods or .numbers). "
    "Open it in Excel and save it again as .xlsx, or as “CSV UTF-8”."
)


def _xlsx_records(data: bytes, *, max_col: int | None = None):
    import openpyxl

    unreadable = UNREADABLE_XLSX
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
            for values in sheet.iter_rows(max_col=max_col, values_only=True):
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
        if number > max_rows_read():
            raise _too_many_rows()
        if not any(record):
            continue
        for column, value in enumerate(record, start=1):
            if len(value) > MAX_CELL_CHARS:
                raise _cell_too_long(f"Row {number:,}, column {column}")
        if headers is None:
            while record and not record[-1]:
                record.pop()
            if len(record) > MAX_COLUMNS:
                raise ApplicationError(
                    f"The first row has {len(record)} columns; Podium reads at most {MAX_COLUMNS}. "
                    "Is this the right file? The first row must hold the column headings."
                )
            headers = [value[:HEADING_CHARS] or f"Column {i}" for i, value in enumerate(record, start=1)]
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
