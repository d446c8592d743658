"""A mail server for tests: Django's in-memory backend (letters land in `django.core.mail.outbox`) that counts the
connections made to it, refuses the addresses it is told to, and may close a connection after a number of letters,
as SMTP servers do."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected
from typing import ClassVar

from django.core.mail.backends import locmem


class MailServer(locmem.EmailBackend):
    connections: ClassVar[int] = 0
    # address → what the server does when a letter is sent to it
    refuses: ClassVar[dict[str, BaseException]] = {}
    # letters the server takes on one connection before it closes it (None: no limit)
    letters_per_connection: ClassVar[int | None] = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        MailServer.connections += 1
        self.sent = 0

    def send_messages(self, messages):
        for message in messages:
            if self.letters_per_connection is not None and self.sent >= self.letters_per_connection:
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            for address in message.recipients():
                if address in self.refuses:
                    raise self.refuses[address]
            self.sent += 1
        return super().send_messages(messages)

    @classmethod
    def reset(cls) -> None:
        cls.connections = 0
        cls.refuses = {}
        cls.letters_per_connection = None
