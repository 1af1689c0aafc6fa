"""The worker's periodic jobs: each is a service function that finds what is due and does it.

Every job must be safe to run twice and from several workers at once (dedupe keys, claims),
because a worker can die at any point and another one, or the same one restarted, runs it again.
"""

import logging

from django.conf import settings
from django.db import close_old_connections
from django.utils.module_loading import import_string

logger = logging.getLogger("podium.worker")


def periodic_run() -> dict[str, object]:
    """Run every job of settings.PODIUM_PERIODIC_JOBS once; a failing job is logged and does not stop the others.

    The jobs are named in the settings, as Django names its apps and middleware, so that the core
    (the lowest layer) runs them without importing the apps above it."""
    results = {}
    for path in settings.PODIUM_PERIODIC_JOBS:
        close_old_connections()
        try:
            results[path] = import_string(path)()
        except Exception:
            logger.exception("Periodic job %s failed; it runs again at the next sweep", path)
        finally:
            close_old_connections()
    return results
