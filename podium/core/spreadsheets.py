"""Tables written out for staff as CSV or XLSX, with every cell made inert for spreadsheet programs.

A cell whose text begins with =, +, -, @, a tab or a carriage return is read as a formula by Excel,
LibreOffice and Google Sheets (CSV injection): someone who registers as `=HYPERLINK("http://x")`
would otherwise put a live link or worse in front of the staff who open the file. Such text gets a
leading apostrophe in both formats; in XLSX every cell is also written as a string, never a formula.
"""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold: control characters other than tab, newline, return.
_XML_ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}

Cell = str | int | float | bool | None


def inert(value: Cell) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(*, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads accents and non-Latin names correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([inert(cell) for cell in header])
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(*, header: Sequence[str], rows: Iterable[Sequence[Cell]], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")

    def cells(values: Sequence[Cell]) -> list:
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=inert(value).translate(_XML_ILLEGAL))
            cell.data_type = "s"  # a string whatever its text: openpyxl would take "=..." for a formula
            row.append(cell)
        return row

    sheet.append(cells(header))
    for values in rows:
        sheet.append(cells(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
