"""Uploads of every kind: a ceiling on what is kept while a file arrives, the real type read from the
file's first bytes (never its name), and what a packed file (an image, a Word file) unpacks to bounded
before it is unpacked. Each bad upload gets a message and nothing is saved; none answers 500."""

import io
import struct
import zipfile
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from podium.core.models import Organisation
from podium.core.uploads import UploadCeiling
from podium.events.models import Attachment, Participation, Role
from podium.imports.models import ContactImport
from podium.people.models import Person
from podium.reports.models import Transcript

pytestmark = pytest.mark.django_db


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A grey PNG of width × height black pixels, packed by zlib into a few KB; with `rows`, only that
    many rows of pixels are in it (the header still says `height`): cut short."""
    packer = zlib.compressobj(9)
    line = b"\x00" * (width + 1)  # filter byte, then the pixels
    packed = b"".join(packer.compress(line) for _ in range(height if rows is None else rows)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + png_chunk(b"IDAT", packed)
        + png_chunk(b"IEND", b"")
    )


def docx_bomb(megabytes: int = 300) -> bytes:
    """A .docx-shaped zip whose document part unpacks to `megabytes` MB of one letter."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(megabytes):
                part.write(b"A" * 1024 * 1024)
    return buffer.getvalue()


@pytest.fixture
def speaker(make_event, add_speaker, client):
    participation = add_speaker(make_event(), Role.MAIN_SPEAKER, family_name="Kozin")
    Participation.objects.filter(pk=participation.pk).update(confirmation=Participation.Confirmation.CONFIRMED)
    return participation


def photo_post(client, speaker, data: bytes, name="me.png"):
    return client.post(
        reverse("events:speaker", args=[speaker.token]),
        {"position": "", "organisation": "", "bio": "", "photo": SimpleUploadedFile(name, data, "image/png")},
        follow=True,
    )


# While it arrives -------------------------------------------------------------------------------------


def test_the_ceiling_keeps_nothing_past_it_and_the_real_size_is_reported(client, settings):
    settings.PODIUM_UPLOAD_MAX_MB = settings.PODIUM_IMPORT_MAX_MB = 0.1  # 100 KB
    handler = UploadCeiling()
    handler.new_file("file", "big.csv", "text/csv", 300_000)
    kept = [handler.receive_data_chunk(b"x" * 65536, n * 65536) for n in range(4)]
    assert [chunk is not None for chunk in kept] == [True, False, False, False]
    too_large = handler.file_complete(4 * 65536)
    assert too_large.size == 4 * 65536 and too_large.read() == b""

    user = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["add_person", "change_person"]))
    client.force_login(user)
    data = b"Email,Surname\r\n" + b"someone@example.org,Khan\r\n" * 12_000  # about 300 KB
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 400
    assert "The file is 304 KB; the limit is 0.1 MB" in response.content.decode()
    assert ContactImport.objects.count() == 0


# Photos and logos ---------------------------------------------------------------------------------------


def test_a_photo_of_36_megapixels_packed_into_a_few_kb_is_refused_before_it_is_decoded(client, speaker):
    bomb = png_of(6000, 6000)
    assert len(bomb) < 100_000
    response = photo_post(client, speaker, bomb)
    assert response.status_code == 400
    assert "This image is too large in pixels" in response.content.decode()
    speaker.person.refresh_from_db()
    assert not speaker.person.photo


def test_a_photo_cut_short_gets_a_message_not_a_500(client, speaker):
    buffer = io.BytesIO()
    Image.effect_noise((1500, 1500), 64).convert("RGB").save(buffer, format="JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]  # its header is whole: the form lets it through
    response = photo_post(client, speaker, cut, name="me.jpg")
    assert response.status_code == 200  # the page again, with the message
    assert "Your photo could not be read to the end" in response.content.decode()
    speaker.person.refresh_from_db()
    assert not speaker.person.photo


def test_the_admins_photo_and_logo_are_sniffed_and_bounded(make_person):
    person = make_person()
    organisation = Organisation(name="NIPS", short_name="NIPS")
    for bad, message in [
        (SimpleUploadedFile("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'), "not an image we can read"),
        (SimpleUploadedFile("logo.png", b"%PDF-1.7\n"), "This file is a PDF document"),
        (SimpleUploadedFile("logo.png", png_of(6000, 6000)), "too large in pixels"),
        (SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024)), "at most 5.0 MB"),
    ]:
        person.photo, organisation.logo = bad, bad
        with pytest.raises(ValidationError, match=message):
            person.full_clean()
        with pytest.raises(ValidationError, match=message):
            organisation.full_clean()
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (15, 76, 92)).save(buffer, format="PNG")
    person.photo = SimpleUploadedFile("me.png", buffer.getvalue())
    person.full_clean()  # a real photo passes
    assert Person.objects.filter(pk=person.pk).exists()


# Attachments and transcripts -----------------------------------------------------------------------------


def test_attachments_are_sniffed_and_a_word_file_that_unpacks_too_large_is_refused(make_event):
    event = make_event()
    for name, data, message in [
        ("slides.pdf", b"<html><script>alert(1)</script></html>", "cannot tell what kind of file this is"),
        ("notes.docx", docx_bomb(300), "would unpack to 300.0 MB"),
        ("slides.pdf", b"\x1f\x8b\x08" + b"\x00" * 20, "a gzip archive"),
    ]:
        attachment = Attachment(event=event, title="Slides", file=SimpleUploadedFile(name, data))
        with pytest.raises(ValidationError, match=message):
            attachment.full_clean()
    Attachment(event=event, title="Slides", file=SimpleUploadedFile("slides.pdf", b"%PDF-1.7\n%%EOF\n")).full_clean()


def test_a_word_transcript_is_named_for_what_it_is(client, make_event):
    event = make_event()
    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="change_report"))
    client.force_login(user)
    response = client.post(
        reverse("reports:transcript", args=[event.pk]), {"file": SimpleUploadedFile("talk.docx", docx_bomb(1))}
    )
    assert response.status_code == 400
    assert "talk.docx: This is a Word, Excel or PowerPoint file" in response.content.decode()
    assert "Export the transcript as VTT, SRT or plain text" in response.content.decode()
    assert not Transcript.objects.exists()


def test_a_transcript_over_5_mb_is_refused_by_its_size(client, make_event):
    event = make_event()
    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="change_report"))
    client.force_login(user)
    big = b"WEBVTT\n\n" + b"00:00:01.000 --> 00:00:02.000\nAli: words words words\n\n" * 120_000
    response = client.post(reverse("reports:transcript", args=[event.pk]), {"file": SimpleUploadedFile("t.vtt", big)})
    assert response.status_code == 400
    expected = f"The file is {len(big) / 1024 / 1024:.1f} MB; transcripts may be at most 5 MB"
    assert expected in response.content.decode()
    assert not Transcript.objects.exists()
