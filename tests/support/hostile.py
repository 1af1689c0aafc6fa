"""Hostile files built in the test: a workbook whose one cell unpacks to hundreds of megabytes, a sheet
of a million blank rows. Written a chunk at a time, so building them costs the test little memory."""

import io
import zipfile

XML = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OOXML = b"application/vnd.openxmlformats-officedocument.spreadsheetml."
RELS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    XML + b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="' + OOXML + b'sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' + OOXML + b'worksheet+xml"/></Types>'
)
ROOT_RELS = (
    XML + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + RELS + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    XML + b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="' + RELS + b'">'
    b'<sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    XML + b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + RELS + b'/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"
HEADINGS_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Last Name</t></is></c></row>'
)


def inline_row(number: int, email: str, name: str) -> bytes:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{email}</t></is></c>'
        f'<c r="B{number}" t="inlineStr"><is><t>{name}</t></is></c></row>'
    ).encode()


def workbook(sheet_chunks) -> bytes:
    """An .xlsx whose first sheet's XML is the chunks given (bytes), packed as Excel packs it (deflate)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
    return buffer.getvalue()


def cell_bomb(megabytes: int = 300) -> bytes:
    """One inline-string cell of `megabytes` MB of one letter under the headings: about 300 KB packed."""
    block = b"A" * (1024 * 1024)

    def chunks():
        yield SHEET_START + HEADINGS_ROW
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>bomb@example.org</t></is></c><c r="B2" t="inlineStr"><is><t>'
        for _ in range(megabytes):
            yield block
        yield b"</t></is></c></row>" + SHEET_END

    return workbook(chunks())


def blank_rows(count: int = 1_000_000) -> bytes:
    """Two contacts, then `count` empty <row/> elements, as a sheet once formatted to its end."""

    def chunks():
        yield (
            SHEET_START + HEADINGS_ROW + inline_row(2, "a@example.org", "Khan") + inline_row(3, "b@example.org", "Ali")
        )
        for start in range(4, count + 4, 10_000):
            yield b"".join(b'<row r="%d"/>' % n for n in range(start, min(start + 10_000, count + 4)))
        yield SHEET_END

    return workbook(chunks())
