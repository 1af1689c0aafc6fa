"""Writes of series and events and their speakers: setting them up, the agenda, publishing, joining settings,
speaker invitations, answers and profiles."""

import io
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps

from podium.core.errors import ApplicationError
from podium.events.calendar import calendar_filename, event_calendar
from podium.events.models import Event, Participation, Role, Series, validate_reminder_offsets
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


# Setting up series and events ----------------------------------------------------------------

SLUG_MAX = 200
# What a new event of a series repeats from the one before: the chair and the last word.
ROLES_DUPLICATED = (Role.HOST, Role.MODERATOR, Role.CLOSING_REMARKS)
# The rows that end an agenda: a new speaker goes before the first of them (participation_add).
ROLES_LAST = (Role.CLOSING_REMARKS, Role.RAPPORTEUR)
# A change of any of these changes the calendar entry people already have.
CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "time_zone", "location"}
# A change of any of these moves the event: people who expect it are told (podium.registrations, event_reschedule).
TIME_FIELDS = ("starts_at", "ends_at", "time_zone")
SERIES_FIELDS = (
    "name",
    "description",
    "intended_audience",
    "default_organiser",
    "default_video_engine",
    "default_registration_mode",
    "default_capacity",
)
EVENT_FIELDS = (
    "series",
    "title",
    "abstract",
    "purpose",
    "format",
    "location",
    "starts_at",
    "ends_at",
    "time_zone",
    "registration_mode",
    "capacity",
    "registration_closes_at",
    "attribution",
    "visibility",
    "join_url",
)


def _unique_slug(model, text: str, *, exclude_pk: int | None = None, fallback: str) -> str:
    """The title as a slug (“nips-lecture-series”), numbered when taken (“…-2”)."""
    base = slugify(text)[: SLUG_MAX - 8].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_times(*, starts_at: datetime, ends_at: datetime, registration_closes_at: datetime | None) -> None:
    if ends_at <= starts_at:
        raise ApplicationError("The event must end after it starts.", field="ends_at")
    if ends_at - starts_at > timedelta(days=7):
        raise ApplicationError("An event can last at most seven days.", field="ends_at")
    if registration_closes_at and registration_closes_at > ends_at:
        raise ApplicationError("Registration must close before the event ends.", field="registration_closes_at")


def series_create(
    *,
    name: str,
    description: str = "",
    intended_audience: str = "",
    default_organiser=None,
    default_video_engine: str = "",
    default_registration_mode: str = Event.RegistrationMode.OPEN,
    default_capacity: int | None = None,
) -> Series:
    name = name.strip()
    if not name:
        raise ApplicationError("Give the series a name.", field="name")
    with transaction.atomic():
        return Series.objects.create(
            name=name,
            slug=_unique_slug(Series, name, fallback="series"),
            description=description.strip(),
            intended_audience=intended_audience.strip(),
            default_organiser=default_organiser,
            default_video_engine=default_video_engine,
            default_registration_mode=default_registration_mode,
            default_capacity=default_capacity,
        )


def series_update(*, series: Series, **fields) -> Series:
    """Change what staff edit of a series; its address (slug) stays, so links already shared keep working."""
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise TypeError(f"series_update() cannot change {', '.join(sorted(unknown))}")
    if "name" in fields and not fields["name"].strip():
        raise ApplicationError("Give the series a name.", field="name")
    with transaction.atomic():
        series = Series.objects.select_for_update().get(pk=series.pk)
        for name, value in fields.items():
            setattr(series, name, value.strip() if isinstance(value, str) else value)
        series.save()
    return series


def event_create(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    series: Series | None = None,
    abstract: str = "",
    purpose: str = "",
    format: str = Event.Format.WEBINAR,
    location: str = "",
    registration_mode: str = Event.RegistrationMode.OPEN,
    capacity: int | None = None,
    registration_closes_at: datetime | None = None,
    attribution: str = Event.Attribution.ON_THE_RECORD,
    visibility: str = Event.Visibility.PUBLIC,
    join_url: str = "",
) -> Event:
    """A new event, as a draft nobody outside sees; the slug comes from the title. The series' default
    organiser is put on its agenda as host."""
    title = title.strip()
    if not title:
        raise ApplicationError("Give the event a title.", field="title")
    _check_times(starts_at=starts_at, ends_at=ends_at, registration_closes_at=registration_closes_at)
    with transaction.atomic():
        event = Event.objects.create(
            series=series,
            title=title,
            slug=_unique_slug(Event, title, fallback="event"),
            abstract=abstract.strip(),
            purpose=purpose.strip(),
            format=format,
            location=location.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            registration_mode=registration_mode,
            capacity=capacity,
            registration_closes_at=registration_closes_at,
            attribution=attribution,
            visibility=visibility,
            join_url=join_url.strip(),
            status=Event.Status.DRAFT,
        )
        if series is not None and series.default_organiser_id is not None:
            Participation.objects.create(
                event=event,
                person_id=series.default_organiser_id,
                role=Role.HOST,
                order=0,
                confirmation=Confirmation.CONFIRMED,  # the institute's own organiser needs no invitation
            )
    return event


def event_update(*, event: Event, **fields) -> tuple[Event, set[str]]:
    """Change the event's settings; returns it with the names of the fields that changed. A change of
    time, title or place bumps the calendar sequence, so calendars replace the entry they hold."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update() cannot change {', '.join(sorted(unknown))}")
    if "title" in fields and not fields["title"].strip():
        raise ApplicationError("Give the event a title.", field="title")
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        before_start = event.starts_at
        changed = set()
        for name, value in fields.items():
            value = value.strip() if isinstance(value, str) else value
            if getattr(event, name) != value:
                setattr(event, name, value)
                changed.add(name)
        _check_times(
            starts_at=event.starts_at, ends_at=event.ends_at, registration_closes_at=event.registration_closes_at
        )
        if changed & CALENDAR_FIELDS:
            event.calendar_sequence += 1
        if changed:
            event.save()
        if "starts_at" in changed:
            # The speakers' slots move with the event, as the programme does.
            delta = event.starts_at - before_start
            event.participations.filter(starts_at__isnull=False).update(
                starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta
            )
    return event, changed


def event_time_moves(*, event: Event, fields: dict) -> bool:
    """Would saving these fields move the event's start, end or time zone?"""
    return any(name in fields and fields[name] != getattr(event, name) for name in TIME_FIELDS)


def reschedule_speakers(*, event: Event):
    """The speakers told when the event moves: everyone on its agenda who has not declined and has an email."""
    return (
        event.participations.on_agenda()
        .exclude(person__email="")
        .select_related("person")
        .prefetch_related("person__designations")
        .order_by("order", "pk")
    )


def speakers_reschedule_notify(*, event: Event, previous_when: str) -> int:
    """Queue "speaker_rescheduled" for each speaker (reschedule_speakers), with the calendar entry
    carrying their own join link; inside the caller's transaction, delivered after commit."""
    queued = 0
    for participation in reschedule_speakers(event=event):
        participation.event = event
        message = message_queue(
            to_email=participation.person.email,
            to_name=participation.person.styled_name,
            kind="speaker_rescheduled",
            context={**speaker_context(participation), "previous_when": previous_when},
            event=event,
            attachments=[
                calendar_attachment(event=event, join_hint=f"Your join link: {speaker_join_link(participation)}")
            ],
            dedupe_key=f"speaker-rescheduled:{participation.pk}:{event.calendar_sequence}",
        )
        queued += message is not None
    return queued


def event_duplicate(*, event: Event, starts_at: datetime, title: str = "") -> Event:
    """The next event of a series: the same settings on a new date, as a draft, with the host, the
    moderator and the closing remarks invited again (they answer anew for the new date)."""
    with transaction.atomic():
        source = Event.objects.get(pk=event.pk)
        title = (title or source.title).strip()
        ends_at = starts_at + (source.ends_at - source.starts_at)
        closes = None
        if source.registration_closes_at:
            closes = starts_at - (source.starts_at - source.registration_closes_at)
        copy = event_create(
            series=source.series,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=source.time_zone,
            abstract=source.abstract,
            purpose=source.purpose,
            format=source.format,
            location=source.location,
            registration_mode=source.registration_mode,
            capacity=source.capacity,
            registration_closes_at=closes,
            attribution=source.attribution,
            visibility=source.visibility,
            join_url=source.join_url,
        )
        copy.join_opens_minutes = source.join_opens_minutes
        copy.tech_check_minutes = source.tech_check_minutes
        copy.reminder_offsets = list(source.reminder_offsets)
        copy.save(update_fields=["join_opens_minutes", "tech_check_minutes", "reminder_offsets"])
        already = set(copy.participations.values_list("person_id", "role"))
        for participation in source.participations.on_agenda().filter(role__in=ROLES_DUPLICATED).order_by("order"):
            if (participation.person_id, participation.role) in already:
                continue
            Participation.objects.create(
                event=copy,
                person_id=participation.person_id,
                role=participation.role,
                order=participation.order,
                briefing_note=participation.briefing_note,
                confirmation=participation.confirmation if participation.role == Role.HOST else Confirmation.INVITED,
            )
        _renumber(copy)
    return copy


def event_publish(*, event: Event, now: datetime | None = None) -> Event:
    """Announce a draft: its page opens (if its visibility allows) and registration with it. Nobody is
    emailed now; reminders follow their schedule."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if not event.is_draft:
            raise ApplicationError("This event is already published.", status=409)
        if event.ends_at <= now:
            raise ApplicationError("This event is over; a past event cannot be announced.")
        event.status = Event.Status.ANNOUNCED
        event.save(update_fields=["status", "updated_at"])
    return event


def event_unpublish(*, event: Event) -> Event:
    """Take an announced event back to draft: its page closes and registration with it."""
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if event.status != Event.Status.ANNOUNCED:
            if event.is_draft:
                raise ApplicationError("This event is a draft already.", status=409)
            raise ApplicationError(
                f"This event is {event.get_status_display().lower()}; "
                "only an announced event can be taken back to draft.",
                status=409,
            )
        event.status = Event.Status.DRAFT
        event.save(update_fields=["status", "updated_at"])
    return event


# The agenda ----------------------------------------------------------------------------------


def _renumber(event: Event) -> None:
    """Orders 0, 1, 2 … in the current order, so moves are swaps of neighbours."""
    for index, participation in enumerate(event.participations.order_by("order", "pk")):
        if participation.order != index:
            Participation.objects.filter(pk=participation.pk).update(order=index)


def participation_add(*, event: Event, person: Person, role: str, confirmed: bool = False) -> Participation:
    """Put someone on the agenda in its natural place: before the first closing remarks or rapporteur
    row (ROLES_LAST), or last when they are such a row themselves or there is none. `confirmed`: they
    have already agreed, so the public agenda shows them at once; otherwise they are invited (and shown
    once they accept from their link)."""
    if role not in Role.values:
        raise ApplicationError("Choose a role from the list.", field="role")
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if event.has_ended():
            raise ApplicationError("This event has ended; its agenda can no longer change.")
        if event.participations.filter(person=person, role=role).exists():
            raise ApplicationError(
                f"{person.styled_name} is already on the agenda as {Role(role).label.lower()}.", field="person"
            )
        rows = list(event.participations.order_by("order", "pk").values_list("pk", "role"))
        position = len(rows)
        if role not in ROLES_LAST:
            position = next((index for index, (_, other) in enumerate(rows) if other in ROLES_LAST), position)
        for index, (pk, _) in enumerate(rows):  # make room: orders 0..n, one gap at `position`
            new_order = index if index < position else index + 1
            Participation.objects.filter(pk=pk).exclude(order=new_order).update(order=new_order)
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    event=event,
                    person=person,
                    role=role,
                    order=position,
                    confirmation=Confirmation.CONFIRMED if confirmed else Confirmation.INVITED,
                    responded_at=timezone.now() if confirmed else None,
                )
        except IntegrityError:
            raise ApplicationError("Someone else just added this person; reload the page.", status=409) from None
    return participation


def participation_move(*, participation: Participation, offset: int = 0, position: int | None = None) -> None:
    """Move one place up (offset -1) or down (+1), or to a position (0 is first), as dragging drops it."""
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=participation.event_id)
        rows = list(event.participations.order_by("order", "pk"))
        ids = [row.pk for row in rows]
        if participation.pk not in ids:
            raise ApplicationError("That person is no longer on this agenda; reload the page.", status=409)
        current = ids.index(participation.pk)
        target = current + offset if position is None else position
        target = max(0, min(len(ids) - 1, target))
        ids.insert(target, ids.pop(current))
        for index, pk in enumerate(ids):
            Participation.objects.filter(pk=pk).exclude(order=index).update(order=index)


def participation_remove(*, participation: Participation) -> None:
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=participation.event_id)
        if event.has_ended():
            raise ApplicationError("This event has ended; its agenda can no longer change.")
        Participation.objects.filter(pk=participation.pk).delete()
        _renumber(event)


def participation_talk_title_set(*, participation: Participation, talk_title: str) -> Participation:
    """The title of someone's talk, as the public agenda shows it under their name; empty removes it."""
    talk_title = " ".join(talk_title.split())
    limit = Participation._meta.get_field("talk_title").max_length or 300
    if len(talk_title) > limit:
        raise ApplicationError(f"This is too long: use at most {limit} characters.", field="talk_title")
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=participation.event_id)
        if event.has_ended():
            raise ApplicationError("This event has ended; its agenda can no longer change.")
        participation = Participation.objects.select_related("person").get(pk=participation.pk, event=event)
        if participation.talk_title != talk_title:
            participation.talk_title = talk_title
            participation.save(update_fields=["talk_title"])
    return participation


def participation_role_set(*, participation: Participation, role: str) -> Participation:
    """Give someone on the agenda another role (a discussant who will moderate after all)."""
    if role not in Role.values:
        raise ApplicationError("Choose a role from the list.", field="role")
    with transaction.atomic():
        event = Event.objects.select_for_update(of=("self",)).get(pk=participation.event_id)
        participation = Participation.objects.select_related("person").get(pk=participation.pk, event=event)
        if participation.role == role:
            return participation
        if event.participations.filter(person_id=participation.person_id, role=role).exists():
            raise ApplicationError(
                f"{participation.person.styled_name} is already on the agenda as {Role(role).label.lower()}.",
                field="role",
            )
        participation.role = role
        participation.save(update_fields=["role"])
    return participation
