"""`podium import-contacts FILE`: the staff page's import from the command line, in the foreground.

Reads the file, guesses the column mapping (change it with --map), lists every problem by row and
column, then imports with a progress bar. Exit status 1 when the file cannot be read, when
--dry-run finds problems, or when problems stop the import (without --valid-only nothing is
imported if any row has a problem).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podium.core.errors import ApplicationError
from podium.imports import services
from podium.imports.columns import FIELDS, IGNORE, heading_key, mapping_errors, mapping_guess
from podium.imports.spreadsheet import size_check, spreadsheet_read

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import contacts into the directory from a CSV or Excel (.xlsx) file, matching people by email."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A CSV (UTF-8) or .xlsx file; the first row holds the column headings.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only check the file and list its problems; change nothing. Exits 1 if any row has a problem.",
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the rows without problems and skip the others (without it, any problem "
            "means nothing is imported).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            dest="overrides",
            help="Set the field of a column, by heading or number (1 = first): "
            f"FIELD is one of {', '.join(FIELDS)} or 'ignore'. May be repeated.",
        )

    def handle(self, *args, file: str, dry_run: bool, valid_only: bool, overrides: list[str], **options):
        path = Path(file)
        try:
            size_check(path.stat().st_size)  # before reading it into memory
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ApplicationError as error:
            raise CommandError(error.message) from None
        try:
            sheet = spreadsheet_read(name=path.name, data=data)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        mapping = self.mapping(sheet.headers, overrides)
        errors = mapping_errors(headers=sheet.headers, mapping=mapping)
        if errors:
            raise CommandError(" ".join(errors) + " Use --map COLUMN=FIELD.")

        self.stdout.write(f"{path.name}: {sheet.file_format}, {len(sheet.rows):,} rows.")
        for heading, key in zip(sheet.headers, mapping, strict=False):
            self.stdout.write(f"  {heading} -> {FIELDS[key] if key else '(ignored)'}")

        if dry_run:
            check = services.rows_check(headers=sheet.headers, rows=sheet.rows, mapping=mapping)
            self.report(check)
            if check.problems:
                raise CommandError(
                    f"Dry run: {check.problem_rows:,} row{'s' if check.problem_rows != 1 else ''} "
                    "with problems. Nothing was changed."
                )
            self.stdout.write("Dry run: no problems. Nothing was changed.")
            return

        contact_import = services.contact_import_create(file_name=path.name, sheet=sheet)
        check = services.contact_import_map(contact_import=contact_import, mapping=mapping)
        self.report(check)
        if check.problems and not valid_only:
            services.contact_import_cancel(contact_import=contact_import)
            raise CommandError(
                f"{check.problem_rows:,} row{'s' if check.problem_rows != 1 else ''} "
                f"{'have' if check.problem_rows != 1 else 'has'} problems, so nothing was imported. "
                f"Fix them, or run again with --valid-only to import the {check.valid_rows:,} "
                "valid rows."
            )
        if not check.valid_rows:
            services.contact_import_cancel(contact_import=contact_import)
            raise CommandError("No row can be imported, so nothing was imported.")
        services.contact_import_start(contact_import=contact_import, enqueue=False)
        services.contact_import_run(import_id=contact_import.pk, progress=self.progress)
        self.stderr.write("")
        contact_import.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {contact_import.created_count:,} added, {contact_import.updated_count:,} updated, "
                f"{contact_import.skipped_count:,} rows skipped because of problems."
            )
        )

    def mapping(self, headers: list[str], overrides: list[str]) -> list[str]:
        mapping = mapping_guess(headers)
        keys = {heading_key(h): i for i, h in reversed(list(enumerate(headers)))}
        for item in overrides:
            column, sep, field = item.partition("=")
            field = field.strip()
            if not sep or (field not in FIELDS and field != "ignore"):
                raise CommandError(
                    f"--map {item}: write COLUMN=FIELD, with FIELD one of {', '.join(FIELDS)} or ignore."
                )
            column = column.strip()
            index = int(column) - 1 if column.isdigit() else keys.get(heading_key(column))
            if index is None or not 0 <= index < len(headers):
                raise CommandError(
                    f"--map {item}: the file has no column “{column}”. Its columns are: {', '.join(headers)}."
                )
            field = IGNORE if field == "ignore" else field
            if field:  # the field moves to this column
                mapping = [IGNORE if key == field else key for key in mapping]
            mapping[index] = field
        return mapping

    def report(self, check: services.ImportCheck) -> None:
        for problem in check.problems:
            self.stdout.write(f"Row {problem['row']}, “{problem['column']}”: {problem['message']}")
        self.stdout.write(
            f"{check.valid_rows:,} rows valid ({check.to_create:,} new, {check.to_update:,} would update people "
            f"already in the directory); {check.problem_rows:,} with problems."
        )

    def progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:,} of {total:,} rows", ending="")
        self.stderr.flush()
