"""A real SMTP server for the tests: aiosmtpd on a free port of 127.0.0.1.

It keeps each message it accepts, parsed, and the logins it saw; `replies` makes it
answer the next messages with an error instead (a full disk, an unknown recipient).
"""

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from kmtracker.lib.waiting import scaled


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: what the server received."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.logins = []
        self.replies = []

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


class SmtpServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self.inbox.authenticate,
            auth_require_tls=False,  # loopback only; TLS is the real server's business
            # start() returns once the server has taken a connection of its own and made
            # its SMTP session for it: aiosmtpd's readiness check, its timeout scaled here.
            ready_timeout=scaled(10),
        )

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
