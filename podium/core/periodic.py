"""The worker's periodic jobs: each is a service function that finds what is due and does it.

Every job must be safe to run twice and from several workers at once (dedupe keys, claims),
because a worker can die at any point and another one, or the same one restarted, runs it again.
"""

import logging

from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("podium.worker")

JOBS = [
    "podium.mail.services.outbox_sweep",
    "podium.campaigns.services.campaigns_sweep",
    "podium.imports.services.contact_imports_sweep",
    "podium.reminders.services.reminders_sweep",
    "podium.live.services.presence_sweep",
]


def periodic_run() -> dict[str, object]:
    """Run every job once; a failing job is logged and does not stop the others."""
    results = {}
    for path in JOBS:
        close_old_connections()
        try:
            results[path] = import_string(path)()
        except Exception:
            logger.exception("Periodic job %s failed; it runs again at the next sweep", path)
        finally:
            close_old_connections()
    return results
