"""`podium run`: migrate, load the demo into a new database, start the worker and serve with uvicorn."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from podium.events.models import Event


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Migrate, load the demo on a new database, start the background worker and serve the site."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("PODIUM_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PODIUM_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("PODIUM_WEB_WORKERS", "1")),
            help="uvicorn worker processes",
        )
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")
        parser.add_argument("--no-demo", action="store_true", help="Never load the demo.")

    def handle(self, *args, host, port, workers, no_worker, no_demo, **options):
        import uvicorn

        if "PODIUM_SITE_URL" not in os.environ:
            # Links in pages, emails and the printed sign-in line point at where this server listens; the
            # worker and any further uvicorn processes read it from the environment.
            shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
            os.environ["PODIUM_SITE_URL"] = settings.SITE_URL = f"http://{shown}:{port}"
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        if not no_demo and not Event.objects.exists():
            call_command("demo")  # prints the staff password if it creates the account, and only then
        # Earlier versions kept the demo password here in plain text and printed it on every start.
        (settings.DATA_DIR / "staff-login.txt").unlink(missing_ok=True)

        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "podium", "worker", "--verbosity", "0"])
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        self.stdout.write(self.style.SUCCESS(f"Serving on http://{host}:{port}/  (Ctrl+C stops)"))
        # uvicorn re-raises SIGTERM after its graceful shutdown; turning it into SystemExit
        # lets the finally below stop the worker instead of leaving it orphaned.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            uvicorn.run(
                "podium.asgi:application", host=host, port=port, workers=workers, lifespan="off", log_level="info"
            )
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
