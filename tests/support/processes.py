"""Real processes on the test database: `podium worker`, a uvicorn server, and a redis-server of its own."""

import os
import shutil
import socket
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
    environment = {
        **os.environ,
        "PODIUM_DATA_DIR": str(data_dir),
        "PODIUM_DATABASE_URL": database_url(),
        **{key: str(value) for key, value in env.items()},
    }
    return subprocess.Popen(
        [sys.executable, "-m", "podium", "worker", "--interval", "0.2", "--sweep-interval", "0.5"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, tmp_path):
        self.port, self.dir, self.process = free_port(), tmp_path, None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: _answers(self.port), timeout=10)

    def stop(self):
        """SIGKILL: Redis dies at once, as in a crash, and keeps nothing (no persistence is configured)."""
        self.process.kill()
        self.process.wait(10)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def subscribers(self, channel: str) -> int:
        """How many connections are subscribed to `channel` now (PUBSUB NUMSUB)."""
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=5)
        try:
            return client.pubsub_numsub(channel)[0][1]
        finally:
            client.close()


def _answers(port) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


class Server:
    def __init__(self, tmp_path, redis_url: str, **env):
        self.port, self.tmp_path, self.redis_url, self.process = free_port(), tmp_path, redis_url, None
        self.env = {key: str(value) for key, value in env.items()}  # PODIUM_* settings of this server's own

    def start(self):
        env = {
            **os.environ,
            "PODIUM_DATA_DIR": str(self.tmp_path / "server"),
            "PODIUM_DATABASE_URL": database_url(),
            "PODIUM_REDIS_URL": self.redis_url,
            "PODIUM_RATE_LIMIT_ENABLED": "false",
            **self.env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "podium.asgi:application",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                # Open live streams end a second after SIGTERM, so the process exits by itself
                # (and coverage, measuring it, saves what it saw).
                "--timeout-graceful-shutdown",
                "1",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: _answers(self.port), timeout=20)

    def stop(self):
        """As a service manager stops it: SIGTERM, then SIGKILL if it has not exited after 10 s."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
