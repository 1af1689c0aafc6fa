"""Start `podium worker` as a real process on the test database, as `podium run` does."""

import os
import subprocess
import sys
import time

from django.db import connection


def database_url() -> str:
    """The URL of the database this test uses (it must be committed: transactional tests)."""
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{data['NAME']}"
    return f"postgres://{data['USER']}@{data['HOST']}:{data['PORT']}/{data['NAME']}"


def start_worker(data_dir, **env) -> subprocess.Popen:
    environment = {**os.environ, "PODIUM_DATA_DIR": str(data_dir), "PODIUM_DATABASE_URL": database_url(),
                   **{key: str(value) for key, value in env.items()}}
    return subprocess.Popen(
        [sys.executable, "-m", "podium", "worker", "--interval", "0.2", "--sweep-interval", "0.5"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
