"""Press-release exports: one PressRelease value written out as HTML, Markdown, DOCX and PDF."""

import base64
import io
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urlparse
from urllib.request import url2pathname

import docx
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from PIL import Image, ImageFile

from podium.reports.content import PressRelease, long_date

TEMPLATE = "reports/export.html"
# For a view that shows export_html inline: the page's own stylesheet and embedded logo, nothing else.
# (The site-wide policy forbids inline styles, which this standalone page needs.)
HTML_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
DRAFT_MARK = "Draft: not for publication"


class ExportUnavailable(Exception):
    """An export this machine cannot produce, with what to install."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Letterhead:
    name: str
    parent_name: str
    city: str
    website: str  # as printed: no scheme, no trailing slash
    website_href: str  # only http(s), so a stored "javascript:" never becomes a link
    logo_name: str  # the file's name in MEDIA_ROOT, "" when there is no logo file


@dataclass(frozen=True)
class Parts:
    """What every format prints, cleaned once so the four exports cannot disagree."""

    letterhead: Letterhead | None
    dateline: str  # "Islamabad, 25 May 2023"
    city: str
    dated: date
    dated_text: str  # "25 May 2023"
    headline: str
    paragraphs: tuple[str, ...]
    notes: tuple[str, ...]
    contact: tuple[str, ...]  # name, email, phone: those given
    contact_email: str
    draft: bool
    author: str
    subject: str


def _clean(text: str) -> str:
    # Paragraphs are plain text: line breaks inside one are soft, and control characters
    # (pasted from Word or a PDF) are not allowed in DOCX's XML at all.
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")
    return " ".join(text.split())


def _logo_name(*, organisation) -> str:
    logo = organisation.logo
    if not logo or not logo.name:
        return ""
    try:
        return logo.name if logo.storage.exists(logo.name) else ""
    except (OSError, SuspiciousFileOperation):  # a name outside MEDIA_ROOT is no logo either
        return ""


def _letterhead(*, release: PressRelease) -> Letterhead | None:
    organisation = release.organisation
    if organisation is None:
        return None
    website = organisation.website.strip()
    href = website if re.match(r"https?://", website, re.I) else ""
    return Letterhead(
        name=_clean(organisation.name),
        parent_name=_clean(organisation.parent_name),
        city=_clean(organisation.city),
        website=re.sub(r"^https?://", "", website, flags=re.I).rstrip("/"),
        website_href=href,
        logo_name=_logo_name(organisation=organisation),
    )


def release_parts(*, release: PressRelease) -> Parts:
    """The release's text as all exports print it."""
    event, organisation = release.event, release.organisation
    city = _clean(organisation.city) if organisation else ""
    dated = long_date(day=release.dated)
    held = long_date(day=timezone.localtime(event.starts_at, event.zone).date())
    series = f", {_clean(event.series.name)}" if event.series is not None else ""
    notes = [f"Event: “{_clean(event.title)}”{series}, {held}."]
    if event.policy.release_note:
        notes.append(event.policy.release_note)
    contact: tuple[str, ...] = ()
    if organisation:
        contact = tuple(
            v
            for v in (
                _clean(organisation.press_contact_name),
                organisation.press_contact_email.strip(),
                _clean(organisation.press_contact_phone),
            )
            if v
        )
    return Parts(
        letterhead=_letterhead(release=release),
        dateline=f"{city}, {dated}" if city else dated,
        city=city,
        dated=release.dated,
        dated_text=dated,
        headline=_clean(release.headline),
        paragraphs=tuple(p for p in map(_clean, release.paragraphs) if p),
        notes=tuple(notes),
        contact=contact,
        contact_email=organisation.press_contact_email.strip() if organisation else "",
        draft=release.draft,
        author=_clean(organisation.name) if organisation else "Podium",
        subject=_clean(event.title),
    )


# Markdown --------------------------------------------------------------------------------------

# Everything that can start markup anywhere in a line: emphasis, code, links and images, raw HTML
# and autolinks, headings, strikethrough and table cells.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#~|])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What only means something at the start of a line: "- " and "+ " bullets, a "---" rule, "1. " and "1) ".
_MD_BULLET = re.compile(r"^(?=[-+](\s|$)|-[-\s]*$)")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def markdown_escape(*, text: str) -> str:
    """Text that Markdown shows as it is: no link, image, HTML, heading or list can come out of it."""
    text = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))
    return _MD_ORDERED.sub(r"\1\\\2", _MD_BULLET.sub(r"\\", text))


def export_markdown(*, release: PressRelease) -> str:
    parts = release_parts(release=release)

    def e(text: str) -> str:
        return markdown_escape(text=text)

    blocks = [f"# {e(parts.headline)}"]
    if parts.draft:
        blocks.append(f"**{DRAFT_MARK.upper()}**")
    if head := parts.letterhead:
        blocks.append(
            " · ".join([f"**{e(head.name)}**"] + [e(v) for v in (head.parent_name, head.city, head.website) if v])
        )
    blocks.append(f"*Press release* · {e(parts.dateline)}")
    blocks.extend(e(p) for p in parts.paragraphs)
    blocks.append("— Ends —")
    blocks.append("**Notes to editors:** " + " ".join(e(n) for n in parts.notes))
    if parts.contact:
        blocks.append("**Press contact:** " + " · ".join(e(v) for v in parts.contact))
    return "\n\n".join(blocks) + "\n"


# HTML and PDF ----------------------------------------------------------------------------------


def _logo_read(*, release: PressRelease, name: str) -> bytes:
    """The letterhead's logo file (only an organisation's letterhead has a logo name)."""
    assert release.organisation is not None
    with release.organisation.logo.storage.open(name, "rb") as logo:
        return logo.read()


def _logo_data_uri(*, release: PressRelease, name: str) -> str:
    data = _logo_read(release=release, name=name)
    content_type = mimetypes.guess_type(name)[0] or "image/png"
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _render_html(*, release: PressRelease, logo_src: Callable[[str], str]) -> str:
    parts = release_parts(release=release)
    head = parts.letterhead
    return render_to_string(
        TEMPLATE,
        {
            "parts": parts,
            "event": release.event,  # for the link-preview tags of a published release
            "head": head,
            "draft_mark": DRAFT_MARK,
            "logo_src": logo_src(head.logo_name) if head and head.logo_name else "",
        },
    )


def export_html(*, release: PressRelease) -> str:
    """A standalone page: the logo travels inside it, so the file still shows it once downloaded."""
    return _render_html(release=release, logo_src=lambda name: _logo_data_uri(release=release, name=name))


def export_pdf(*, release: PressRelease) -> bytes:
    """The HTML export printed by WeasyPrint; the logo is read from MEDIA_ROOT as a file."""
    try:
        # Imported here: WeasyPrint loads Pango when imported, and the rest of Podium must run without it.
        import weasyprint
    except OSError as error:
        raise ExportUnavailable(
            "PDF export needs the Pango library: on Debian/Ubuntu, apt install libpango-1.0-0 libpangoft2-1.0-0"
        ) from error
    except ImportError as error:
        raise ExportUnavailable("PDF export needs WeasyPrint: pip install weasyprint") from error
    # Importing WeasyPrint tells Pillow, for the whole process, to accept images cut short; uploads must
    # keep refusing them (core.uploads, events.services._photo_clean), so the setting goes back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    media_root = Path(settings.MEDIA_ROOT).resolve()

    class MediaOnly(weasyprint.URLFetcher):
        # The document only ever needs the logo: every other URL (the network, files elsewhere) is
        # refused, so no stored value can make the server fetch or read something else.
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme != "file" or not Path(url2pathname(parsed.path)).resolve().is_relative_to(media_root):
                raise ValueError(f"Not loaded: {url}")
            return super().fetch(url, headers)

    html = _render_html(release=release, logo_src=lambda name: quote(name))
    document = weasyprint.HTML(string=html, base_url=media_root.as_uri() + "/", url_fetcher=MediaOnly())
    return document.write_pdf(pdf_tags=True)  # tagged: screen readers can read the release


# DOCX ------------------------------------------------------------------------------------------

SERIF = "Georgia"
INK = "1A1A1A"
MUTED = "555555"
DRAFT_RED = "B00020"
# Word refuses a file whose elements are out of the schema's order: what must follow what we insert.
_AFTER_RPR_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _style_font(*, style, name: str, size=None, bold=None, color: str | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    # Theme font attributes win over named fonts in Word, so they have to go.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)
    if size is not None:
        style.font.size = size
    if bold is not None:
        style.font.bold = bold
    if color:
        style.font.color.rgb = RGBColor.from_string(color)


def _run(paragraph, text: str, *, size=None, bold=False, color: str | None = None, spacing: int = 0):
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if spacing:  # letter-spacing in twentieths of a point, for the small-capital labels
        element = OxmlElement("w:spacing")
        element.set(qn("w:val"), str(spacing))
        run._r.get_or_add_rPr().insert_element_before(element, *_AFTER_RPR_SPACING)
    return run


def _rule(paragraph, *, size: int = 8) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", INK)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _docx_logo(*, release: PressRelease, name: str, max_height, max_width):
    """The logo as bytes python-docx can place and its size within the bounds given; None if unreadable."""
    data = _logo_read(release=release, name=name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.format not in ("PNG", "JPEG", "GIF", "BMP"):  # WebP and friends: Word cannot show them
                converted = io.BytesIO()
                image.save(converted, format="PNG")
                data = converted.getvalue()
    except (OSError, Image.DecompressionBombError):  # damaged, or huge from before the pixel ceiling: no logo
        return None
    scale = min(max_height / height, max_width / width)
    return io.BytesIO(data), int(width * scale), int(height * scale)


def _docx_letterhead(*, section, parts: Parts, release: PressRelease) -> None:
    """Logo beside the organisation's names in the page header, so every page carries it, then a rule."""
    header = section.header
    head = parts.letterhead
    rule = header.paragraphs[0]  # a new header holds one empty paragraph: it becomes the rule
    if head:
        lines = [
            (head.name, Pt(13), True, INK),
            (head.parent_name, Pt(9.5), False, INK),
            (" · ".join(v for v in (head.city, head.website) if v), Pt(8.5), False, MUTED),
        ]
        cell = None
        logo = head.logo_name and _docx_logo(release=release, name=head.logo_name, max_height=Cm(1.8), max_width=Cm(5))
        if logo:
            stream, width, height = logo
            usable = section.page_width - section.left_margin - section.right_margin
            logo_column = width + Cm(0.5)
            table = header.add_table(rows=1, cols=2, width=usable)
            table.autofit = False
            rule._p.addprevious(table._tbl)
            _table_flush(table=table)
            logo_cell, cell = table.rows[0].cells
            for index, column_width in enumerate((logo_column, usable - logo_column)):
                table.columns[index].width = table.rows[0].cells[index].width = column_width
                table.rows[0].cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            logo_cell.paragraphs[0].add_run().add_picture(stream, width=width, height=height)
        for index, (text, size, bold, color) in enumerate(line for line in lines if line[0]):
            if cell is not None:
                line = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            else:
                line = header.add_paragraph()
                rule._p.addprevious(line._p)
            line.paragraph_format.space_after = Pt(1)
            _run(line, text, size=size, bold=bold, color=color)
    # An empty paragraph a few points high, carrying a bottom border: the rule under the letterhead.
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    rule.paragraph_format.line_spacing = Pt(4)
    rule.paragraph_format.space_after = Pt(0)
    _rule(rule, size=8)
    if parts.draft:
        mark = header.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark.paragraph_format.space_before = Pt(3)
        _run(mark, DRAFT_MARK.upper(), size=Pt(8), bold=True, color=DRAFT_RED, spacing=20)


def _table_flush(*, table) -> None:
    # Word pads table cells left and right; without this the logo sits indented from the text margin.
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def export_docx(*, release: PressRelease) -> bytes:

    parts = release_parts(release=release)
    document = docx.Document()

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.4)
    section.header_distance, section.footer_distance = Cm(1.1), Cm(1.1)

    styles = document.styles
    normal = styles["Normal"]
    _style_font(style=normal, name=SERIF, size=Pt(11), color=INK)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")  # British spelling checks, as the dates are British
    normal.element.get_or_add_rPr().insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    normal.paragraph_format.space_after = Pt(0)
    _style_font(style=styles["Header"], name=SERIF)
    title = styles["Title"]
    _style_font(style=title, name=SERIF, size=Pt(21), bold=True, color=INK)
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # the template's blue underline
        title_ppr.remove(border)
    title.paragraph_format.space_after = Pt(14)
    title.paragraph_format.line_spacing = 1.05
    title.paragraph_format.keep_with_next = True
    body = styles.add_style("Press Release Text", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.quick_style = True
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.space_after = Pt(9)
    body.paragraph_format.line_spacing = 1.2
    body.paragraph_format.widow_control = True

    _docx_letterhead(section=section, parts=parts, release=release)

    if parts.draft:
        banner = document.add_paragraph()
        banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
        banner.paragraph_format.space_after = Pt(12)
        _run(banner, DRAFT_MARK.upper(), size=Pt(11), bold=True, color=DRAFT_RED, spacing=30)
    label = document.add_paragraph()
    label.paragraph_format.space_after = Pt(2)
    label.paragraph_format.keep_with_next = True
    _run(label, "PRESS RELEASE", size=Pt(9), bold=True, color=MUTED, spacing=40)
    dateline = document.add_paragraph()
    dateline.paragraph_format.space_after = Pt(12)
    dateline.paragraph_format.keep_with_next = True
    _run(dateline, parts.dateline, size=Pt(10.5), bold=True)
    document.add_paragraph(parts.headline, style=title)
    for text in parts.paragraphs:
        document.add_paragraph(text, style=body)
    ends = document.add_paragraph()
    ends.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ends.paragraph_format.space_before = Pt(6)
    ends.paragraph_format.space_after = Pt(18)
    _run(ends, "— Ends —", bold=True)

    notes = document.add_paragraph()
    notes.paragraph_format.space_after = Pt(2)
    notes.paragraph_format.keep_with_next = True
    _run(notes, "Notes to editors", size=Pt(9.5), bold=True)
    for note in parts.notes:
        line = document.add_paragraph()
        line.paragraph_format.space_after = Pt(2)
        _run(line, note, size=Pt(9.5))
    if parts.contact:
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(10)
        heading.paragraph_format.space_after = Pt(2)
        heading.paragraph_format.keep_with_next = True
        _run(heading, "Press contact", size=Pt(9.5), bold=True)
        for index, value in enumerate(parts.contact):
            line = document.add_paragraph()
            line.paragraph_format.space_after = Pt(1)
            line.paragraph_format.keep_with_next = index < len(parts.contact) - 1
            _run(line, value, size=Pt(9.5))

    properties = document.core_properties
    properties.title = parts.headline
    properties.subject = parts.subject
    properties.author = properties.last_modified_by = parts.author
    properties.category = "Press release"
    properties.keywords = "press release"
    properties.comments = ""
    properties.content_status = "Draft" if parts.draft else "Final"
    properties.language = "en-GB"
    properties.created = properties.modified = timezone.now()
    properties.revision = 1

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Lookup for views ------------------------------------------------------------------------------


class ExportFormat(NamedTuple):
    render: Callable[..., str | bytes]  # called as render(release=...)
    content_type: str
    extension: str


EXPORTS: dict[str, ExportFormat] = {
    "html": ExportFormat(export_html, "text/html; charset=utf-8", "html"),
    "md": ExportFormat(export_markdown, "text/markdown; charset=utf-8", "md"),
    "docx": ExportFormat(
        export_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
    "pdf": ExportFormat(export_pdf, "application/pdf", "pdf"),
}


def export_filename(*, release: PressRelease, fmt: str) -> str:
    """event-slug-press-release.pdf; a draft says so in its name, so it is not sent out by mistake."""
    draft = "-draft" if release.draft else ""
    return f"{release.filename_stem}{draft}.{EXPORTS[fmt].extension}"
