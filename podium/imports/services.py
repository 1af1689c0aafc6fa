"""Writes of contact imports: store an uploaded sheet, check it (the dry run), then import its valid rows
into the directory in chunks, matching people by email so nobody is ever added twice.

The import runs as a background task (or in the foreground from `podium import-contacts`): chunks
of CHUNK_ROWS rows, each in its own transaction that first advances `processed_rows` from the
value it expects. A worker that dies loses at most its open chunk; run again, the import resumes
after the last committed chunk, and two runs of the same import never write the same chunk.
"""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from podium.core.errors import ApplicationError
from podium.imports.columns import mapping_errors, mapping_guess
from podium.imports.models import ContactImport
from podium.imports.rows import ContactRow, row_clean
from podium.imports.spreadsheet import PREVIEW_CHARS, Sheet
from podium.people.models import Designation, Person, Tag
from podium.people.signals import people_changed_in_bulk

logger = logging.getLogger("podium.imports")

Status = ContactImport.Status
CHUNK_ROWS = 500
LOOKUP_BATCH = 500
PREVIEW_ROWS = 5
PROBLEMS_KEPT = 1000  # shown on the page; the counts stay exact
STALE_AFTER = timedelta(minutes=2)  # an import whose chunks stopped coming may be resumed
DEMO_FILE = Path(__file__).resolve().parent / "demo" / "nips-contacts.csv"


@dataclass
class ImportCheck:
    """The dry run: every row cleaned, the problems by row and column, and what importing would do."""

    rows: list[ContactRow]
    problems: list[dict] = field(default_factory=list)
    valid_rows: int = 0
    problem_rows: int = 0
    to_create: int = 0
    to_update: int = 0


# Upload and check --------------------------------------------------------------------------------


def contact_import_create(*, file_name: str, sheet: Sheet, by=None) -> ContactImport:
    """Keep a sheet that was read (spreadsheet_read) with the mapping guessed from its headings."""
    return ContactImport.objects.create(
        file_name=file_name[:255],
        file_format=sheet.file_format,
        headers=sheet.headers,
        rows=sheet.rows,
        preview=[[row[0], *(value[:PREVIEW_CHARS] for value in row[1:])] for row in sheet.rows[:PREVIEW_ROWS]],
        mapping=mapping_guess(sheet.headers),
        total_rows=len(sheet.rows),
        created_by=by if by is not None and by.is_authenticated else None,
    )


def _existing_emails(emails: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(emails), LOOKUP_BATCH):
        found.update(
            Person.objects.exclude(email="")
            .annotate(email_key=Lower("email"))
            .filter(email_key__in=emails[start : start + LOOKUP_BATCH])
            .order_by()
            .values_list("email_key", flat=True)
        )
    return found


def rows_check(*, headers: list[str], rows: list[list], mapping: list[str]) -> ImportCheck:
    """Clean every row and find what keeps each from being imported; reads the directory, writes nothing."""
    cleaned = [row_clean(number=row[0], values=row[1:], headers=headers, mapping=mapping) for row in rows]
    email_heading = headers[mapping.index("email")]
    name_heading = headers[mapping.index("family_name" if "family_name" in mapping else "full_name")]

    first_seen: dict[str, int] = {}
    for row in cleaned:
        if not row.email:
            continue
        if row.email in first_seen:
            row.problems.append(
                (
                    email_heading,
                    f"The same email address is already in row {first_seen[row.email]}. "
                    "Each person can be in the file once: remove or merge one of the rows.",
                )
            )
        else:
            first_seen[row.email] = row.number

    existing = _existing_emails(list(first_seen))
    check = ImportCheck(rows=cleaned)
    order = {heading: i for i, heading in enumerate(headers)}
    for row in cleaned:
        if not row.has_family_name and row.email not in existing:
            row.problems.append(
                (name_heading, "The family name is missing; it is needed to add someone new to the directory.")
            )
        if row.problems:
            check.problem_rows += 1
            for heading, message in sorted(row.problems, key=lambda p: order.get(p[0], 0)):
                check.problems.append({"row": row.number, "column": heading, "message": message})
        elif row.email in existing:
            check.to_update += 1
        else:
            check.to_create += 1
    check.valid_rows = check.to_create + check.to_update
    return check


def contact_import_map(*, contact_import: ContactImport, mapping: list[str]) -> ImportCheck:
    """Save the column mapping and run the dry run; nothing in the directory changes."""
    errors = mapping_errors(headers=contact_import.headers, mapping=mapping)
    if errors:
        raise ApplicationError(errors[0], details=errors[1:])
    if contact_import.status not in (Status.UPLOADED, Status.CHECKED):
        raise ApplicationError("This import has already started or was cancelled.")
    check = rows_check(headers=contact_import.headers, rows=contact_import.rows, mapping=mapping)
    updated = ContactImport.objects.filter(pk=contact_import.pk, status__in=[Status.UPLOADED, Status.CHECKED]).update(
        mapping=mapping,
        status=Status.CHECKED,
        total_rows=len(contact_import.rows),
        valid_rows=check.valid_rows,
        problem_rows=check.problem_rows,
        to_create=check.to_create,
        to_update=check.to_update,
        problem_count=len(check.problems),
        problems=check.problems[:PROBLEMS_KEPT],
        updated_at=timezone.now(),
    )
    if not updated:
        raise ApplicationError("This import has already started or was cancelled.")
    return check


# Choose: the valid rows, or nothing -----------------------------------------------------------------


def _enqueue_run(import_id: int) -> None:
    from podium.imports.tasks import run_contact_import

    try:
        run_contact_import.enqueue(import_id=import_id)
    except Exception:  # the page offers to resume an import that does not move
        logger.exception("Could not enqueue contact import %s", import_id)


def contact_import_start(*, contact_import: ContactImport, enqueue: bool = True) -> None:
    """Import the valid rows: hand the import to the worker (or to the caller, with enqueue=False)."""
    now = timezone.now()
    with transaction.atomic():
        started = ContactImport.objects.filter(pk=contact_import.pk, status=Status.CHECKED, valid_rows__gt=0).update(
            status=Status.IMPORTING,
            started_at=now,
            updated_at=now,
            processed_rows=0,
            created_count=0,
            updated_count=0,
            skipped_count=0,
            error="",
        )
        if not started:
            raise ApplicationError(
                "This import cannot start: it has no valid rows, or it already started or was cancelled."
            )
        if enqueue:
            transaction.on_commit(lambda: _enqueue_run(contact_import.pk))


def contact_import_cancel(*, contact_import: ContactImport) -> None:
    """Import nothing: the directory is untouched and the file's rows are dropped."""
    cancelled = ContactImport.objects.filter(pk=contact_import.pk, status__in=[Status.UPLOADED, Status.CHECKED]).update(
        status=Status.CANCELLED, rows=[], preview=[], finished_at=timezone.now(), updated_at=timezone.now()
    )
    if not cancelled:
        raise ApplicationError("This import has already started, so it can no longer be cancelled.")


def contact_import_is_stale(contact_import: ContactImport, now=None) -> bool:
    now = now or timezone.now()
    return contact_import.status == Status.IMPORTING and contact_import.updated_at < now - STALE_AFTER


def contact_import_resume(*, contact_import: ContactImport) -> None:
    """Run a failed import, or one whose worker stopped, again from its last committed chunk."""
    now = timezone.now()
    with transaction.atomic():
        resumed = ContactImport.objects.filter(
            Q(status=Status.FAILED) | Q(status=Status.IMPORTING, updated_at__lt=now - STALE_AFTER),
            pk=contact_import.pk,
        ).update(status=Status.IMPORTING, error="", finished_at=None, updated_at=now)
        if not resumed:
            raise ApplicationError("This import is running or finished; there is nothing to resume.")
        transaction.on_commit(lambda: _enqueue_run(contact_import.pk))


def contact_imports_sweep(*, now=None) -> int:
    """Periodic job: an import whose worker died (no chunk for STALE_AFTER) is resumed from its last
    committed chunk. Failed imports wait for staff, who see the error and choose."""
    now = now or timezone.now()
    resumed = 0
    for contact_import in ContactImport.objects.filter(status=Status.IMPORTING, updated_at__lt=now - STALE_AFTER):
        try:
            contact_import_resume(contact_import=contact_import)
        except ApplicationError:  # another sweep or a person got there first
            continue
        resumed += 1
    return resumed


# The import ----------------------------------------------------------------------------------------


def contact_import_run(*, import_id: int, progress: Callable[[int, int], None] | None = None) -> str:
    """Import the valid rows of an import in chunks, from where it stopped; the task and the command call this."""
    contact_import = ContactImport.objects.get(pk=import_id)
    if contact_import.status != Status.IMPORTING:
        return f"Import {import_id} is {contact_import.status}; nothing to do."
    try:
        check = rows_check(headers=contact_import.headers, rows=contact_import.rows, mapping=contact_import.mapping)
        total = len(check.rows)
        ContactImport.objects.filter(pk=import_id, status=Status.IMPORTING).update(
            total_rows=total,
            skipped_count=check.problem_rows,
            problem_count=len(check.problems),
            problems=check.problems[:PROBLEMS_KEPT],
            updated_at=timezone.now(),
        )
        start = contact_import.processed_rows
        if progress:
            progress(start, total)
        while start < total:
            end = min(start + CHUNK_ROWS, total)
            valid = [row for row in check.rows[start:end] if not row.problems]
            if not _chunk_import(import_id=import_id, start=start, end=end, rows=valid):
                return f"Import {import_id}: another run has taken over at row {start}."
            start = end
            if progress:
                progress(start, total)
        now = timezone.now()
        ContactImport.objects.filter(pk=import_id, status=Status.IMPORTING, processed_rows=total).update(
            status=Status.DONE,
            finished_at=now,
            updated_at=now,
            rows=[],
            preview=[],
        )
    except Exception as error:
        logger.exception("Contact import %s failed", import_id)
        now = timezone.now()
        ContactImport.objects.filter(pk=import_id, status=Status.IMPORTING).update(
            status=Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=now,
            updated_at=now,
        )
        raise
    contact_import.refresh_from_db(fields=["created_count", "updated_count", "skipped_count"])
    return (
        f"Import {import_id}: {contact_import.created_count} added, {contact_import.updated_count} updated, "
        f"{contact_import.skipped_count} skipped."
    )


def _chunk_import(*, import_id: int, start: int, end: int, rows: list[ContactRow]) -> bool:
    """One chunk in one transaction; False when another run already did it."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                now = timezone.now()
                # The claim comes first: it locks the import row, so a second run waits here and then
                # finds processed_rows moved on.
                claimed = ContactImport.objects.filter(
                    pk=import_id, status=Status.IMPORTING, processed_rows=start
                ).update(processed_rows=end, updated_at=now)
                if not claimed:
                    return False
                created, updated = people_write(rows=rows, now=now)
                if created or updated:
                    ContactImport.objects.filter(pk=import_id).update(
                        created_count=F("created_count") + created,
                        updated_count=F("updated_count") + updated,
                    )
            return True
        except IntegrityError:
            # Someone added a person (same email or slug) while this chunk ran: the next attempt sees them.
            if attempt == 2:
                raise
            logger.warning(
                "Contact import %s: chunk at row %s collided with another write; trying again", import_id, start
            )
    return False


def people_write(*, rows: list[ContactRow], now) -> tuple[int, int]:
    """Add or update the people of valid rows with a fixed number of queries per chunk.

    Existing people are found by email (case-insensitive) and get the file's non-empty values;
    tags are added, never removed; the first designation is updated or created.
    Returns (added, updated).
    """
    if not rows:
        return 0, 0
    existing: dict[str, Person] = {
        person.email_key: person
        for person in Person.objects.exclude(email="")
        .annotate(email_key=Lower("email"))
        .filter(email_key__in=[row.email for row in rows])
        .order_by()
    }

    changed_fields, changed = set(), []
    for row in rows:
        person = existing.get(row.email)
        if person is None:
            continue
        dirty = False
        for key, value in row.person.items():
            if getattr(person, key) != value:
                setattr(person, key, value)
                changed_fields.add(key)
                dirty = True
        if dirty:
            person.updated_at = now
            changed.append(person)
    _rows_update(Person, changed, [*sorted(changed_fields), "updated_at"])

    new_rows = [row for row in rows if row.email not in existing and row.has_family_name]
    new_people = [Person(email=row.email, source=Person.Source.IMPORT, **row.person) for row in new_rows]
    _slugs_assign(new_people)
    Person.objects.bulk_create(new_people)

    by_email = {**existing, **{person.email: person for person in new_people}}
    _designations_write(rows=rows, people=by_email, existing=existing)
    _tags_add(rows=rows, people=by_email)
    _people_changed(person_ids=[person.pk for person in existing.values()])
    return len(new_people), sum(1 for row in rows if row.email in existing)


def _people_changed(*, person_ids: list[int]) -> None:
    """The rows above bypass model signals: say which people changed once the chunk commits (the
    search index refreshes the speakers among them)."""
    if person_ids:
        transaction.on_commit(lambda: people_changed_in_bulk.send(sender=ContactImport, person_ids=person_ids))


def _rows_update(model, objs: list, fields: list[str]) -> None:
    """UPDATE ... WHERE pk = %s for each object as one executemany: QuerySet.bulk_update builds a CASE
    expression per field and row, which costs seconds per thousand rows; this costs milliseconds."""
    if not objs:
        return
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    pk = model._meta.pk
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(f'{quote(c.column)} = %s' for c in columns)} "
        f"WHERE {quote(pk.column)} = %s"
    )
    params = [[c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _slugs_assign(people: list[Person]) -> None:
    """Unique slugs for a chunk at once, as Person.unique_slug makes them one query at a time."""
    if not people:
        return
    bases = [slugify(f"{p.given_names} {p.family_name}")[:180] or "person" for p in people]
    taken = set(Person.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
    wanted = Counter(bases)
    crowded = {base for base in wanted if base in taken or wanted[base] > 1}
    if crowded:
        numbered = Q()
        for base in crowded:
            numbered |= Q(slug__startswith=f"{base}-")
        taken.update(Person.objects.filter(numbered).values_list("slug", flat=True))
    for person, base in zip(people, bases, strict=True):
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        person.slug = slug


def _designations_write(*, rows: list[ContactRow], people: dict[str, Person], existing: dict[str, Person]) -> None:
    rows = [row for row in rows if (row.position or row.organisation) and row.email in people]
    if not rows:
        return
    first: dict[int, Designation] = {}
    ids = [existing[row.email].pk for row in rows if row.email in existing]
    if ids:
        for known in Designation.objects.filter(person_id__in=ids).order_by("person_id", "order", "pk"):
            first.setdefault(known.person_id, known)
    to_update: list[Designation] = []
    to_create: list[Designation] = []
    for row in rows:
        person = people[row.email]
        designation = first.get(person.pk)
        if designation is None:
            to_create.append(Designation(person=person, position=row.position, organisation=row.organisation, order=0))
            continue
        dirty = False
        for key in ("position", "organisation"):
            value = getattr(row, key)
            if value and getattr(designation, key) != value:
                setattr(designation, key, value)
                dirty = True
        if dirty:
            to_update.append(designation)
    _rows_update(Designation, to_update, ["position", "organisation"])
    Designation.objects.bulk_create(to_create)


def _tags_add(*, rows: list[ContactRow], people: dict[str, Person]) -> None:
    wanted = {tag.lower(): tag for row in rows for tag in row.tags}
    if not wanted:
        return
    tags: dict[str, Tag] = {
        tag.name.lower(): tag for tag in Tag.objects.annotate(key=Lower("name")).filter(key__in=list(wanted))
    }
    missing = [name for key, name in wanted.items() if key not in tags]
    if missing:
        Tag.objects.bulk_create([Tag(name=name) for name in missing], ignore_conflicts=True)
        tags.update({tag.name.lower(): tag for tag in Tag.objects.filter(name__in=missing)})
    Through = Person.tags.through
    links = {
        (people[row.email].pk, tags[tag.lower()].pk)
        for row in rows
        if row.email in people
        for tag in row.tags
        if tag.lower() in tags
    }
    Through.objects.bulk_create([Through(person_id=p, tag_id=t) for p, t in links], ignore_conflicts=True)
