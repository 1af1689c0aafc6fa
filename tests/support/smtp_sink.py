"""A real SMTP server on loopback (aiosmtpd) that tests can stop and start again on the same port."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps what the server accepted. `hold_from=N` makes the N-th message and every later one
    wait for `release` and then refuse it (451): every connection of the client is then stopped
    in the middle of a conversation, the moment a test kills it."""

    def __init__(self):
        self.messages = []
        self.raw = []  # the bytes of each accepted message, as they arrived
        self.lock = threading.Lock()
        self.hold_from = None
        self.held = 0
        self.holding = threading.Event()
        self.release = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            hold = self.hold_from is not None and self.seen >= self.hold_from
            if hold:
                self.held += 1
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: try again later"
        with self.lock:
            self.raw.append(envelope.original_content)
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
