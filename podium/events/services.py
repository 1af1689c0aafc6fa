"""Writes of events and their speakers: joining settings, who joined, speaker invitations, answers and profiles."""

import io
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps

from podium.core.errors import ApplicationError
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.models import Event, Participation, validate_reminder_offsets
from podium.mail.models import Message
from podium.mail.services import message_queue
from podium.people.models import Designation, Person

Confirmation = Participation.Confirmation


# Personal links ----------------------------------------------------------------------------


def speaker_join_link(participation: Participation) -> str:
    return settings.SITE_URL + reverse("live:speaker_join", kwargs={"token": participation.token})


def speaker_link(participation: Participation) -> str:
    return settings.SITE_URL + reverse("events:speaker", kwargs={"token": participation.token})


def calendar_attachment(*, event: Event, join_hint: str = "") -> dict:
    """The event's .ics as an outbox attachment, with the recipient's join link in its description
    (never a link that manages a registration: calendars are shared, synced and forwarded)."""
    return {
        "filename": calendar_filename(event),
        "mimetype": "text/calendar; method=PUBLISH",
        "content": event_calendar(event=event, join_hint=join_hint).decode(),
    }


# Joining ---------------------------------------------------------------------------------


def event_joining_save(
    *, event: Event, join_url: str, join_opens_minutes: int, tech_check_minutes: int, reminder_offsets: list[int]
) -> Event:
    """Staff set the video link, when it opens and the reminder schedule (already validated by the form)."""
    event.join_url = join_url.strip()
    event.join_opens_minutes = join_opens_minutes
    event.tech_check_minutes = tech_check_minutes
    event.reminder_offsets = sorted(reminder_offsets, reverse=True)
    validate_reminder_offsets(event.reminder_offsets)  # the form checked it; callers other than the form may not
    event.save(update_fields=["join_url", "join_opens_minutes", "tech_check_minutes", "reminder_offsets", "updated_at"])
    return event


# Speaker invitations ------------------------------------------------------------------------


def speaker_context(participation: Participation) -> dict:
    """What the speaker's emails need: their part, their zone and their personal links."""
    return {
        "participation": participation,
        "event": participation.event,
        "person": participation.person,
        "speaker_zone": participation.speaker_zone,
        "speaker_url": speaker_link(participation),
        "join_url": speaker_join_link(participation),
    }


def participation_invite(*, participation: Participation, by=None) -> Message | None:
    """Email the speaker their invitation with their personal link; staff may send it again.

    None, as from message_queue, if this very invitation was already queued (its key carries the time).
    """
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("event", "person")
            .get(pk=participation.pk)
        )
        person = participation.person
        if not person.email:
            raise ApplicationError(f"{person.styled_name} has no email address in the directory. Add one first.")
        if participation.event.is_past:
            raise ApplicationError("This event has ended; invitations can no longer be sent.")
        now = timezone.now()
        participation.invited_at, participation.invited_by = now, by
        participation.save(update_fields=["invited_at", "invited_by"])
        stamp = int(now.timestamp() * 1_000_000)
        return message_queue(
            to_email=person.email,
            to_name=person.styled_name,
            kind="speaker_invitation",
            context=speaker_context(participation),
            event=participation.event,
            attachments=[
                calendar_attachment(
                    event=participation.event, join_hint=f"Your invitation: {speaker_link(participation)}"
                )
            ],
            dedupe_key=f"speaker-invitation:{participation.pk}:{stamp}",
        )


def participation_respond(*, participation: Participation, accept: bool, now: datetime | None = None) -> bool:
    """The speaker accepts or declines from their link; they may change their mind until the event ends.

    Returns whether anything changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",)).select_related("event").get(pk=participation.pk)
        )
        if participation.event.ends_at <= now:
            raise ApplicationError("This event has ended, so your answer can no longer be changed.")
        answer = Confirmation.CONFIRMED if accept else Confirmation.DECLINED
        if participation.confirmation == answer:
            return False
        participation.confirmation, participation.responded_at = answer, now
        participation.save(update_fields=["confirmation", "responded_at"])
    return True


# Speaker profiles ---------------------------------------------------------------------------

PHOTO_MAX_SIDE = 1200


def _photo_clean(upload) -> ContentFile:
    """Re-encode the upload: drops metadata (GPS, camera), bounds its size, and keeps only pixels."""
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            buffer = io.BytesIO()
            if image.mode in ("RGBA", "LA", "P"):
                image.convert("RGBA").save(buffer, format="PNG", optimize=True)
                extension = "png"
            else:
                image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
    except (OSError, ValueError, Image.DecompressionBombError):
        # The header was fine (the form checked it) but the pixels are cut short or damaged.
        raise ApplicationError(
            "Your photo could not be read to the end: it may be damaged. Please upload another JPEG, PNG or WebP "
            "image; nothing was changed.",
            field="photo",
        ) from None
    return ContentFile(buffer.getvalue(), name=f"photo.{extension}")


def speaker_profile_update(
    *, participation: Participation, position: str, organisation: str, bio: str, photo=None, remove_photo: bool = False
) -> Person:
    """A confirmed speaker updates how the agenda shows them: first designation, bio and photo."""
    if participation.confirmation != Confirmation.CONFIRMED:
        raise ApplicationError("Please accept the invitation before you change your profile.")
    position, organisation = position.strip(), organisation.strip()
    new_photo = _photo_clean(photo) if photo else None
    old_photo_name = ""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=participation.person_id)
        person.bio = bio.strip()
        if new_photo or remove_photo:
            old_photo_name = person.photo.name or ""
            person.photo = None
        if new_photo:
            assert new_photo.name is not None  # _photo_clean names it photo.<extension>
            person.photo.save(f"{person.slug}.{new_photo.name.rsplit('.', 1)[-1]}", new_photo, save=False)
        person.save()
        designation = person.designations.order_by("order", "pk").first()
        if position or organisation:
            if designation is None:
                Designation.objects.create(person=person, position=position, organisation=organisation, order=0)
            elif (designation.position, designation.organisation) != (position, organisation):
                designation.position, designation.organisation = position, organisation
                designation.save(update_fields=["position", "organisation"])
        elif designation is not None:
            designation.delete()
    if old_photo_name:
        storage = Person._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(old_photo_name))
    return person
