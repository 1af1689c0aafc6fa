"""Run what the task worker would run, in this process: every due task row, once."""

from django.core.management import call_command


def run_queued_tasks() -> None:
    call_command("db_worker", batch=True, reload=False, queue_name="*", interval=0, startup_delay=False, verbosity=0)
