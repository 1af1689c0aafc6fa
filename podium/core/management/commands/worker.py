"""`podium worker`: runs background tasks (django-tasks' database worker) and sweeps the outbox."""

import logging
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from podium.core.periodic import periodic_run

logger = logging.getLogger("podium.worker")


def sweep_forever(interval: float, stop: threading.Event) -> None:
    """Run the periodic jobs (outbox, campaigns, reminders) every `interval` seconds."""
    while not stop.wait(interval):
        periodic_run()


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, and the periodic jobs (outbox, campaigns, reminders)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls for new tasks.")
        parser.add_argument(
            "--sweep-interval", type=float, default=15.0, help="Seconds between runs of the periodic jobs."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run what is queued, the periodic jobs once, then exit."
        )

    def handle(self, *args, interval: float, sweep_interval: float, batch: bool, **options):
        verbosity = options.get("verbosity", 1)
        if batch:
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                queue_name="*",
                interval=0,
                startup_delay=False,
                verbosity=verbosity,
            )
            periodic_run()
            return
        stop = threading.Event()
        sweeper = threading.Thread(target=sweep_forever, args=(sweep_interval, stop), name="outbox-sweep", daemon=True)
        sweeper.start()
        self.stdout.write(f"Worker running: tasks every {interval:g} s, outbox sweep every {sweep_interval:g} s.")
        try:
            call_command("db_worker", reload=False, queue_name="*", interval=interval, verbosity=verbosity)
        finally:
            stop.set()
            time.sleep(0)
