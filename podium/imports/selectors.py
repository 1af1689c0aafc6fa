"""Reads of contact imports, without the stored rows unless a page needs them."""

from podium.imports.models import ContactImport

WITHOUT_ROWS = ("rows",)


def contact_import_list(*, limit: int = 20) -> list[ContactImport]:
    return list(ContactImport.objects.defer("rows", "preview", "problems").select_related("created_by")[:limit])


def contact_import_get(*, pk: int, with_rows: bool = False) -> ContactImport | None:
    queryset = ContactImport.objects.select_related("created_by")
    return (queryset if with_rows else queryset.defer(*WITHOUT_ROWS)).filter(pk=pk).first()


def contact_import_progress(*, pk: int) -> dict | None:
    contact_import = (
        ContactImport.objects.only(
            "status", "total_rows", "processed_rows", "created_count", "updated_count", "skipped_count"
        )
        .filter(pk=pk)
        .first()
    )
    if contact_import is None:
        return None
    return {
        "status": contact_import.status,
        "status_label": contact_import.get_status_display(),
        "processed": contact_import.processed_rows,
        "total": contact_import.total_rows,
        "progress_text": contact_import.progress_text,
        "created": contact_import.created_count,
        "updated": contact_import.updated_count,
        "skipped": contact_import.skipped_count,
        "finished": contact_import.is_finished,
    }
