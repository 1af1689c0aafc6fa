"""Press-release exports: every format carries the whole text and the letterhead, escapes what people typed,
marks drafts, embeds the logo, and says what to install when PDF export cannot run."""

import builtins
import io
import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from pypdf import PdfReader

from podium.events.models import Event
from podium.reports.content import PressRelease
from podium.reports.exports import (
    EXPORTS,
    ExportUnavailable,
    export_docx,
    export_filename,
    export_html,
    export_markdown,
    export_pdf,
)
from tests.support.browser import SHOTS

HEADLINE = "NIPS Holds High-Level Webinar on Pakistan–Russia Relations"
PARAGRAPHS = (
    "The NUST Institute of Policy Studies (NIPS) held a high-level webinar on “Pakistan–Russia Relations: "
    "Prospects and Challenges” on 24 May 2023, as part of the NIPS Lecture Series, which brings experts "
    "together on topics of high contemporary relevance.",
    "Opening the session, Brig (Retd) Amir Yaqub, Director NIPS, said that relations between the two countries "
    "had moved from the suspicion of the Cold War to a partnership built on trade, energy and regional security, "
    "and that the webinar’s purpose was to ask what could carry that partnership further.",
    "Dr Vladimir Kozin, Leading Expert at the Centre for Military-Political Studies, Moscow, said that the "
    "relationship was “largely positive and free of disputes”, and that there was huge potential to expand "
    "cooperation in energy, agriculture and education.",
    "Dr Atia Ali Kazmi, Senior Fellow at NIPS, argued that the relationship was not transactional: it moved at a "
    "sustainable pace, and the Pakistan Stream gas pipeline would be an early harvest project for both sides.",
    "Answering questions from the audience, the speakers agreed that connectivity through Central Asia, "
    "banking channels and direct flights were the practical steps on which progress now depends.",
    "The webinar was attended by faculty and students of NUST, officials, members of the diplomatic community and "
    "researchers from think tanks across Pakistan; it closed with a vote of thanks by the Director NIPS.",
)


def normalised(text: str) -> str:
    # PDF text comes back with its own line breaks and ligatures: compare words, not layout.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def docx_text(data: bytes) -> tuple[str, str]:
    """The body's text and the page header's text (letterhead cells included)."""
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    header = document.sections[0].header
    cells = [p.text for t in header.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return body, "\n".join([p.text for p in header.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # Lines break after dashes and hyphens ("Pakistan–" / "Russia"); there is no hyphenation to undo.
    text = re.sub(r"([–-])\n", r"\1", text)
    return normalised(re.sub(r"Page \d+ of \d+", "", text))


def logo_png() -> bytes:
    """A small emblem: a navy disc with a gold ring, the kind of logo an institute uploads."""
    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill="#0b2a5b")
    draw.ellipse((36, 36, 204, 204), outline="#c9a227", width=10)
    draw.rectangle((100, 70, 140, 170), fill="#c9a227")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def release(organisation, make_event):
    events = []  # one event, however many releases a test makes of it

    def make(*, draft=False, logo=False, headline=HEADLINE, paragraphs=PARAGRAPHS, **org_fields) -> PressRelease:
        org_fields = {
            "city": "Islamabad",
            "website": "https://nips.example.org/",
            "press_contact_name": "Media Desk, NIPS",
            "press_contact_phone": "+92 51 9085 1234",
            **org_fields,
        }
        for field, value in org_fields.items():
            setattr(organisation, field, value)
        if logo:
            organisation.logo.save("nips-logo.png", ContentFile(logo_png()), save=False)
        organisation.save()
        if not events:
            starts = datetime(2023, 5, 24, 10, 0, tzinfo=ZoneInfo("Asia/Karachi"))
            events.append(
                make_event(
                    title="Pakistan–Russia Relations: Prospects and Challenges",
                    slug="pakistan-russia-relations",
                    starts_at=starts,
                    ends_at=starts.replace(hour=12),
                    status=Event.Status.ENDED,
                    attribution=Event.Attribution.CHATHAM_HOUSE,
                )
            )
        return PressRelease(
            headline=headline,
            paragraphs=tuple(paragraphs),
            event=events[0],
            organisation=organisation,
            dated=date(2023, 5, 25),
            draft=draft,
        )

    return make


@pytest.mark.django_db
def test_every_format_carries_the_headline_every_paragraph_and_the_letterhead(release):
    sample = release(logo=True)
    markdown, html = export_markdown(release=sample), export_html(release=sample)
    body, header = docx_text(docx_data := export_docx(release=sample))
    pdf = pdf_text(pdf_data := export_pdf(release=sample))
    # Kept for a person to look at, as the browser tests keep their screenshots.
    SHOTS.mkdir(exist_ok=True)
    for name, data in (
        ("press-release.pdf", pdf_data),
        ("press-release.docx", docx_data),
        ("press-release.html", html.encode()),
        ("press-release.md", markdown.encode()),
    ):
        (SHOTS / name).write_bytes(data)

    assert markdown.startswith(f"# {HEADLINE}\n")
    for text in (HEADLINE, *PARAGRAPHS):
        assert text in markdown.replace("\\", "")
        assert text.replace("’", "&#x27;") in html or text in html
        assert text in body
        assert normalised(text) in pdf
    assert "Islamabad, 25 May 2023" in markdown and "Islamabad, " in html and "25 May 2023" in html
    assert "Islamabad, 25 May 2023" in body and "Islamabad, 25 May 2023" in pdf
    # The letterhead: in the DOCX page header (so on every page), on top of the PDF.
    assert "NUST Institute of Policy Studies\nNational University of Sciences and Technology (NUST)" in header
    assert "National University of Sciences" not in body
    assert pdf.startswith("NUST Institute of Policy Studies National University of Sciences and Technology (NUST)")
    assert "Islamabad · nips.example.org" in header
    # The end: "Ends", the event in the event's own calendar, the press contact last.
    assert "— Ends —" in body and "— Ends —" in pdf and "— Ends —" in html
    assert "Event: “Pakistan–Russia Relations: Prospects and Challenges”, NIPS Lecture Series, 24 May 2023." in body
    assert "Chatham House Rule" in markdown
    assert markdown.rstrip().endswith("**Press contact:** Media Desk, NIPS · media@nips.example.org · +92 51 9085 1234")
    assert body.rstrip().endswith("Media Desk, NIPS\nmedia@nips.example.org\n+92 51 9085 1234")
    assert pdf.endswith("Press contact Media Desk, NIPS media@nips.example.org +92 51 9085 1234")
    properties = docx.Document(io.BytesIO(docx_data)).core_properties
    assert (properties.title, properties.author) == (HEADLINE, "NUST Institute of Policy Studies")
    assert PdfReader(io.BytesIO(pdf_data)).metadata.title == HEADLINE


@pytest.mark.django_db
def test_html_is_standalone_and_escapes_what_people_typed(release):
    sample = release(logo=True, paragraphs=["Before <script>alert('x')</script> after & <b>bold</b>."])
    html = export_html(release=sample)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; after &amp; &lt;b&gt;bold&lt;/b&gt;." in html
    assert "<script" not in html.lower() and "<b>" not in html
    # Nothing outside the file: the logo travels inside it, and nothing is fetched.
    assert 'src="data:image/png;base64,' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//(?!nips\.example\.org)""", html)
    assert "<link" not in html and "@import" not in html


@pytest.mark.django_db
def test_markdown_escapes_links_html_and_block_markup(release):
    injected = [
        "[link](http://x) and ![img](http://x/i.png) <img src=x onerror=alert(1)> **bold** `code`",
        "# Not a heading",
        "1. Not a list",
        "- Not a bullet",
        "&lt;b&gt; stays text",
    ]
    sample = release(headline="A [headline](http://evil) #1", paragraphs=injected, name="NIPS <Policy> _Studies_")
    markdown = export_markdown(release=sample)
    blocks = markdown.split("\n\n")
    assert blocks[0] == r"# A \[headline\](http://evil) \#1"
    assert (
        r"\[link\](http://x) and !\[img\](http://x/i.png) \<img src=x onerror=alert(1)\> \*\*bold\*\* \`code\`"
        in blocks
    )
    assert r"\# Not a heading" in blocks
    assert r"1\. Not a list" in blocks
    assert r"\- Not a bullet" in blocks
    assert r"\&lt; stays text" not in blocks and r"\&lt;b\&gt; stays text" in blocks
    assert r"**NIPS \<Policy\> \_Studies\_**" in markdown
    # Every "[" , "<" and "`" that came from people is escaped: none is left to open markup.
    assert not re.search(r"(?<!\\)[\[<`]", markdown)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_only_drafts_are_marked_as_drafts(release, fmt):
    def text(sample):
        data = EXPORTS[fmt].render(release=sample)
        if sample.draft and fmt in ("pdf", "docx"):
            SHOTS.mkdir(exist_ok=True)
            (SHOTS / f"press-release-draft.{fmt}").write_bytes(data)
        if fmt == "docx":
            return "\n".join(docx_text(data))
        return pdf_text(data) if fmt == "pdf" else data

    draft, final = text(release(draft=True)), text(release(draft=False))
    assert re.search("draft: not for publication", draft, re.I)
    assert not re.search("draft: not for publication", final, re.I)
    if fmt != "html":  # the HTML's stylesheet names the draft mark's class either way
        assert "draft" not in final.lower()


@pytest.mark.django_db
def test_the_logo_is_embedded_when_the_file_exists(release):
    with_logo = release(logo=True)
    document = docx.Document(io.BytesIO(export_docx(release=with_logo)))
    header_part = document.sections[0].header.part
    images = [rel.target_part for rel in header_part.rels.values() if "image" in rel.reltype]
    assert len(images) == 1 and images[0].blob == logo_png()
    pdf = PdfReader(io.BytesIO(export_pdf(release=with_logo)))
    assert len(pdf.pages[0].images) == 1

    # A logo whose file has gone (a restored database without its media) is left out, not an error.
    with_logo.organisation.logo.storage.delete(with_logo.organisation.logo.name)
    document = docx.Document(io.BytesIO(export_docx(release=with_logo)))
    assert not [r for r in document.sections[0].header.part.rels.values() if "image" in r.reltype]
    assert "<img" not in export_html(release=with_logo)
    assert "NUST Institute of Policy Studies" in docx_text(export_docx(release=with_logo))[1]


@pytest.mark.django_db
def test_a_damaged_or_outside_logo_is_left_out(release):
    sample = release()
    organisation = sample.organisation
    organisation.logo.save("broken.png", ContentFile(b"not a picture"), save=True)
    document = docx.Document(io.BytesIO(export_docx(release=sample)))
    assert not [r for r in document.sections[0].header.part.rels.values() if "image" in r.reltype]
    assert "NUST Institute of Policy Studies" in docx_text(export_docx(release=sample))[1]
    assert "NUST Institute of Policy Studies" in pdf_text(export_pdf(release=sample))
    # A stored name pointing outside MEDIA_ROOT is never read, in any format.
    organisation.logo.name = "../../../../etc/hostname"
    assert "<img" not in export_html(release=sample)
    assert len(PdfReader(io.BytesIO(export_pdf(release=sample))).pages[0].images) == 0
    export_docx(release=sample)


@pytest.mark.django_db
def test_pdf_rendering_reads_no_file_outside_media_root(release, tmp_path, monkeypatch):
    from podium.reports import exports

    (tmp_path / "outside.png").write_bytes(logo_png())
    sample = release(logo=True)
    assert len(PdfReader(io.BytesIO(export_pdf(release=sample))).pages[0].images) == 1
    # Past the storage's own check, WeasyPrint itself is still only allowed to read MEDIA_ROOT.
    monkeypatch.setattr(exports, "_logo_name", lambda organisation: "../outside.png")
    assert len(PdfReader(io.BytesIO(export_pdf(release=sample))).pages[0].images) == 0


@pytest.mark.django_db
def test_without_an_organisation_the_release_still_exports(release):
    sample = release()
    bare = PressRelease(
        headline=sample.headline,
        paragraphs=sample.paragraphs,
        event=sample.event,
        organisation=None,
        dated=sample.dated,
    )
    assert "25 May 2023" in pdf_text(export_pdf(release=bare))
    body, header = docx_text(export_docx(release=bare))
    assert body.splitlines()[1] == "25 May 2023" and "NUST" not in header
    assert "Press contact" not in export_markdown(release=bare)


@pytest.mark.django_db
def test_pdf_export_says_what_to_install_when_pango_is_missing(release, monkeypatch):
    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", without_pango)
    with pytest.raises(ExportUnavailable) as refused:
        export_pdf(release=release())
    assert (
        str(refused.value)
        == refused.value.message
        == ("PDF export needs the Pango library: on Debian/Ubuntu, apt install libpango-1.0-0 libpangoft2-1.0-0")
    )


@pytest.mark.django_db
def test_formats_name_their_files_and_content_types(release):
    assert export_filename(release=release(), fmt="pdf") == "pakistan-russia-relations-press-release.pdf"
    assert export_filename(release=release(draft=True), fmt="docx") == (
        "pakistan-russia-relations-press-release-draft.docx"
    )
    assert {fmt: (e.content_type.split(";")[0], e.extension) for fmt, e in EXPORTS.items()} == {
        "html": ("text/html", "html"),
        "md": ("text/markdown", "md"),
        "pdf": ("application/pdf", "pdf"),
        "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    }
