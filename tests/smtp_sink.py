"""A real SMTP server on loopback (aiosmtpd) that tests can stop and start again on the same port."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps what the server accepted. `hold_at=N` makes the N-th message wait for `release` and
    then refuse it (451): the moment a test kills the client mid-conversation."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.hold_at = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            hold = self.hold_at is not None and self.seen == self.hold_at
        if hold:
            import asyncio

            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: try again later"
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return [message["To"].addresses[0].addr_spec for message in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None
