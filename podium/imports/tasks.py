"""Background task of contact imports; a thin wrapper around podium.imports.services."""

from django_tasks import task

from podium.imports import services


@task()
def run_contact_import(*, import_id: int) -> str:
    return services.contact_import_run(import_id=import_id)
