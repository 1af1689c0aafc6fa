"""Limits every upload obeys: its size while it arrives, its real type (read from its first bytes, never
from its name) and, for the kinds that are packed (images, zip-based Office files), what it unpacks to.

The spreadsheets of the contact import add their own checks of cells and rows (imports/spreadsheet.py);
transcripts are plain text (reports/transcripts.py). Both read the upload through `upload_read`.
"""

import io
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from PIL import Image

from podium.core.errors import ApplicationError

IMAGE_MAX_BYTES = 5 * 1024 * 1024
# 24 megapixels (6000 × 4000, a camera's photo) decode to about 100 MB; more is refused before decoding.
IMAGE_MAX_PIXELS = 24_000_000
IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Pillow itself refuses (DecompressionBombError) images of more than twice this many pixels.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# A Word or PowerPoint file is a zip; what its parts may unpack to together, and how tightly packed.
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_RATIO = 100
ZIP_RATIO_CHECKED_FROM = 1024 * 1024

# First bytes of the kinds of file people upload, to say what they uploaded.
SIGNATURES = [
    (b"%PDF-", "pdf", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "png", "a PNG image"),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image"),
    (b"GIF87a", "gif", "a GIF image"),
    (b"GIF89a", "gif", "a GIF image"),
    (b"PK\x03\x04", "zip", "a Word, Excel or PowerPoint file, or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "ole", "an old-style Office 97–2003 file"),
    (b"Rar!", "rar", "a RAR archive"),
    (b"\x1f\x8b", "gzip", "a gzip archive"),
    (b"7z\xbc\xaf", "7z", "a 7-Zip archive"),
    (b"{\\rtf", "rtf", "an RTF document"),
]


def file_kind(head: bytes) -> tuple[str, str] | None:
    """(kind, words for a person) of a file from its first bytes; None when no known signature matches."""
    for signature, kind, words in SIGNATURES:
        if head.startswith(signature):
            return kind, words
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", "a WebP image"
    return None


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def upload_max_bytes() -> int:
    """The most any one uploaded file may be: the largest of the limits of each kind."""
    return int(max(settings.PODIUM_UPLOAD_MAX_MB, settings.PODIUM_IMPORT_MAX_MB) * 1024 * 1024)


# While a request arrives ----------------------------------------------------------------------------


class TooLargeUpload(UploadedFile):
    """Stands in for a file that went over the ceiling while it arrived: its size is the real one, its
    content is empty (nothing of it was kept), so every size check refuses it in its own words."""

    too_large = True

    def __init__(self, *, name: str, content_type: str, size: int):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class UploadCeiling(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive and, past the ceiling, keeps
    none of the rest (memory and disk stay bounded). The file then arrives as a TooLargeUpload."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        return None if self.received > upload_max_bytes() else raw_data

    def file_complete(self, file_size: int):
        if self.received <= upload_max_bytes():
            return None  # the next handler (memory or a temporary file) has it all
        return TooLargeUpload(name=self.file_name or "", content_type=self.content_type or "", size=self.received)


def upload_read(upload, *, max_bytes: int, limit_words: str) -> bytes:
    """The bytes of an uploaded file, read only when its size is within `max_bytes`."""
    if upload.size > max_bytes:
        raise ApplicationError(f"The file is {size_text(upload.size)}; {limit_words}", field="file")
    return upload.read(max_bytes + 1)


# Images -------------------------------------------------------------------------------------------


def image_check(upload, *, max_bytes: int = IMAGE_MAX_BYTES) -> None:
    """A JPEG, PNG or WebP of at most max_bytes and IMAGE_MAX_PIXELS; read from its header, not decoded."""
    if upload.size > max_bytes:
        raise ApplicationError(
            f"This image is {size_text(upload.size)}; please upload one of at most {size_text(max_bytes)}.",
            field="photo",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = file_kind(head)
    if kind is None or kind[0] not in ("jpeg", "png", "webp"):
        what = f"This file is {kind[1]}" if kind else "This file is not an image we can read"
        raise ApplicationError(f"{what}. Please upload a JPEG, PNG or WebP image.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                width, height = image.size
                image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ApplicationError("This image is too large in pixels; please upload a smaller one.") from None
    except Exception:
        raise ApplicationError(
            "This file is not an image we can read. Please upload a JPEG, PNG or WebP image."
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ApplicationError("Please upload a JPEG, PNG or WebP image.")
    if width * height > IMAGE_MAX_PIXELS:
        raise ApplicationError(
            f"This image is {width:,}×{height:,} pixels; please upload one of at most "
            f"{IMAGE_MAX_PIXELS // 1_000_000} megapixels."
        )


def image_validate(upload) -> None:
    """image_check as a model field validator (the admin's photo and logo fields)."""
    if not hasattr(upload, "size") or getattr(upload, "_committed", False):
        return  # a file already stored: it was checked when it came
    try:
        image_check(upload)
    except ApplicationError as error:
        raise ValidationError(error.message) from None


# Documents (event attachments) ----------------------------------------------------------------------

DOCUMENT_KINDS = ("pdf", "zip", "png", "jpeg", "webp", "gif")


def zip_check(upload, *, max_unpacked: int = ZIP_MAX_UNPACKED) -> None:
    """A zip (Word, PowerPoint, Excel) whose parts, by the sizes it declares (zipfile holds it to them),
    unpack to at most max_unpacked, in not too many parts and none packed like a bomb."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ApplicationError("This file looks like an Office file but cannot be opened: it may be damaged.") from None
    finally:
        upload.seek(0)
    unpacked = sum(member.file_size for member in members)
    packed_tight = any(
        member.file_size > ZIP_RATIO_CHECKED_FROM and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > ZIP_MAX_MEMBERS or unpacked > max_unpacked or packed_tight:
        raise ApplicationError(
            f"This file would unpack to {size_text(unpacked)} in {len(members):,} parts, far more than a document "
            f"holds (at most {size_text(max_unpacked)}). Save it again, or as PDF, and upload that."
        )


def document_check(upload, *, max_bytes: int = DOCUMENT_MAX_BYTES) -> None:
    """An attachment people download: PDF, an Office file (zip) or an image, never a page a browser
    would run (HTML, SVG); sized, and a zip's unpacked size bounded."""
    if upload.size > max_bytes:
        raise ApplicationError(
            f"The file is {size_text(upload.size)}; attachments may be at most {size_text(max_bytes)}. "
            "Link to a larger file instead."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = file_kind(head)
    if kind is None or kind[0] not in DOCUMENT_KINDS:
        what = f"This file is {kind[1]}" if kind else "Podium cannot tell what kind of file this is"
        raise ApplicationError(
            f"{what}. Attach a PDF, a Word or PowerPoint file (.docx, .pptx) or an image, or give a link."
        )
    if kind[0] == "zip":
        zip_check(upload)
    elif kind[0] != "pdf":
        image_check(upload, max_bytes=max_bytes)


def document_validate(upload) -> None:
    """document_check as a model field validator (the admin's attachment field)."""
    if not hasattr(upload, "size") or getattr(upload, "_committed", False):
        return
    try:
        document_check(upload)
    except ApplicationError as error:
        raise ValidationError(error.message) from None


# Before Django reads the body ---------------------------------------------------------------------------


def body_max_bytes() -> int:
    """The largest request body: one file at the ceiling and the form around it."""
    return upload_max_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


TOO_LARGE_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>The file is too large</title>"
    "<h1>The file is too large</h1><p>Podium takes files of up to {limit}. Go back and choose a smaller "
    "file (a spreadsheet can be split into several, a document linked instead of attached).</p></html>"
)


def body_ceiling(app):
    """ASGI middleware: Django's ASGI handler reads a whole body (to a temporary file) before any view or
    upload handler sees it, so a body declared larger than body_max_bytes() is answered 413 at once, and
    one without a declared length is cut off there (the client is treated as gone)."""

    async def bounded(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        limit = body_max_bytes()
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            page = TOO_LARGE_PAGE.format(limit=size_text(upload_max_bytes())).encode()
            headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(page)).encode())]
            await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
            await send({"type": "http.response.body", "body": page})
            return None
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    return {"type": "http.disconnect"}
            return message

        return await app(scope, counted, send)

    return bounded
