"""Every server error leaves its traceback in the log, whatever DEBUG says; personal links and email
addresses stay out of the logs and out of error reports. Real uvicorn processes, real log output."""

import gzip
import http.server
import json
import logging
import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import httpx
import pytest

from podium.core.logs import RedactPersonalData, redact, sentry_before_send
from podium.mail.services import message_deliver
from podium.registrations import services as registration_services
from tests.support.processes import database_url, free_port, wait_for

TOKEN = "Zq3x9VbN0aLm5Kp2Rt7YwE1uHc4dSgJf8oIvXnT6Bk"  # the shape of secrets.token_urlsafe(32)


class Uvicorn:
    """`python -m uvicorn podium.asgi:application` as production runs it (DEBUG off, access log on),
    its standard error kept in a file the test reads."""

    def __init__(self, tmp_path: Path, **env: str):
        self.port, self.log = free_port(), tmp_path / "server.log"
        self.env = {
            **os.environ,
            "PODIUM_DATA_DIR": str(tmp_path / "data"),
            "PODIUM_DEBUG": "false",
            "PODIUM_RATE_LIMIT_ENABLED": "false",
            **env,
        }

    def __enter__(self) -> "Uvicorn":
        self.handle = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "podium.asgi:application",
                "--port",
                str(self.port),
                "--log-level",
                "info",
                "--timeout-graceful-shutdown",
                "1",
            ],
            env=self.env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )
        assert wait_for(self._answers, timeout=30), self.text()
        return self

    def _answers(self) -> bool:
        try:
            httpx.get(self.url("/static/podium/podium.css"), timeout=1)
            return True
        except httpx.TransportError:
            return False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.handle.close()


def test_a_server_error_leaves_its_traceback_in_the_log(tmp_path):
    # A database nobody migrated: every page that reads it fails, as a real misconfiguration would.
    with Uvicorn(tmp_path, PODIUM_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}") as server:
        response = httpx.get(server.url("/"), timeout=10)
        assert response.status_code == 500
        assert "Something went wrong" in response.text or "error" in response.text.lower()
        assert wait_for(lambda: "no such table" in server.text(), timeout=10), server.text()
        log = server.text()
    assert "Traceback (most recent call last)" in log
    assert "django.request" in log and "Internal Server Error: /" in log


@pytest.mark.django_db(transaction=True)
def test_personal_links_stay_out_of_the_access_log(tmp_path, make_event):
    event = make_event()
    outcome = registration_services.registration_submit(
        event=event, name="Dr. Amina Rauf", email="amina.rauf@example.org", segment="diplomat"
    )
    token, manage = outcome.registration.token, outcome.registration.manage_token
    with Uvicorn(tmp_path, PODIUM_DATABASE_URL=database_url()) as server:
        for path in (f"/r/{manage}/", f"/j/{token}/", f"/i/{TOKEN}/", f"/live/{token}/", f"/speak/{TOKEN}/"):
            httpx.get(server.url(path), timeout=10)
        assert wait_for(lambda: server.text().count('"GET /') >= 5, timeout=10), server.text()
        log = server.text()
    assert token not in log and manage not in log and TOKEN not in log
    assert '"GET /r/…/ HTTP/1.1"' in log and '"GET /j/…/ HTTP/1.1"' in log and '"GET /live/…/ HTTP/1.1"' in log


@pytest.mark.django_db
def test_the_worker_names_recipients_only_at_debug_level(make_event, caplog):
    logger = logging.getLogger("podium.mail")
    handler_filter = RedactPersonalData()
    registration_services.registration_submit(
        event=make_event(), name="Dr. Amina Rauf", email="amina.rauf@example.org", segment="diplomat"
    )
    from podium.mail.models import Message

    message = Message.objects.get()
    with caplog.at_level(logging.DEBUG, logger="podium.mail"):
        message_deliver(message_id=message.pk)
    info = [r for r in caplog.records if r.levelno >= logging.INFO and r.name == logger.name]
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG and r.name == logger.name]
    assert info and not any("amina.rauf" in r.getMessage() for r in info)
    assert any("amina.rauf@example.org" in r.getMessage() for r in debug)
    # And whatever a message says, Podium's handler keeps addresses out above DEBUG.
    record = logging.LogRecord(
        "podium.mail", logging.ERROR, __file__, 1, "550 <%s> unknown", ("a.b@example.org",), None
    )
    handler_filter.filter(record)
    assert record.getMessage() == "550 <…@example.org> unknown"


def test_redaction_keeps_the_shape_and_drops_the_secret():
    assert redact(f"GET /r/{TOKEN}/cancel/ 200") == "GET /r/…/cancel/ 200"
    assert redact(f"/j/s/{TOKEN}/ /live/s/{TOKEN}/stream/") == "/j/s/…/ /live/s/…/stream/"
    assert redact("/u/12:AbCdEfGhIjKl/") == "/u/…/"
    assert redact("/video/bbb/0b6f3c1e/ended/sig-nature-value/") == "/video/bbb/0b6f3c1e/ended/…/"
    assert redact("/staff/live/12/control/next/ /imports/3/ /reports/feed.atom") == (
        "/staff/live/12/control/next/ /imports/3/ /reports/feed.atom"
    )
    assert redact("to amina.rauf@example.org") == "to …@example.org"
    assert redact("to amina.rauf@example.org", addresses=False) == "to amina.rauf@example.org"
    event = {"request": {"url": f"https://x.org/r/{TOKEN}/"}, "exception": {"values": [{"value": "a@b.org"}]}}
    assert sentry_before_send(event, {}) == {
        "request": {"url": "https://x.org/r/…/"},
        "exception": {"values": [{"value": "…@b.org"}]},
    }


class SentryStandIn(http.server.ThreadingHTTPServer):
    """Accepts what sentry-sdk sends (envelopes, maybe compressed) and keeps it, as Sentry's ingest would."""

    def __init__(self):
        self.received: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                elif encoding == "br":
                    import brotli  # pragma: no cover (only if the SDK chooses brotli)

                    body = brotli.decompress(body)
                server.received.append(body.decode(errors="replace"))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def test_an_error_report_leaves_without_personal_links(tmp_path):
    sentry = SentryStandIn()
    dsn = f"http://publickey@127.0.0.1:{sentry.server_address[1]}/1"
    try:
        with Uvicorn(
            tmp_path, PODIUM_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", PODIUM_SENTRY_DSN=dsn
        ) as server:
            assert httpx.get(server.url(f"/r/{TOKEN}/"), timeout=10).status_code == 500
            assert wait_for(lambda: any("OperationalError" in body for body in sentry.received), timeout=20)
    finally:
        sentry.shutdown()
        sentry.server_close()
    report = next(body for body in sentry.received if "OperationalError" in body)
    assert TOKEN not in report
    event = json.loads(next(line for line in report.splitlines() if '"exception"' in line))
    assert event["request"]["url"].endswith("/r/…/")
    assert "cookies" not in event.get("request", {}) and "user" not in event
    assert not any("vars" in frame for value in event["exception"]["values"] for frame in value["stacktrace"]["frames"])
