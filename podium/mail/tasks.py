"""Background tasks of the outbox; thin wrappers around podium.mail.services."""

from django_tasks import task

from podium.mail import services


@task()
def deliver_message(*, message_id: int) -> str | None:
    return services.message_deliver(message_id=message_id)


@task()
def sweep_outbox() -> int:
    return services.outbox_sweep()
