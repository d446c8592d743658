"""A mail server for tests: Django's in-memory backend (letters land in `django.core.mail.outbox`) that counts the
connections made to it and refuses the addresses it is told to, as an SMTP server would."""

from __future__ import annotations

from typing import ClassVar

from django.core.mail.backends import locmem


class MailServer(locmem.EmailBackend):
    connections: ClassVar[int] = 0
    # address → what the server does when a letter is sent to it
    refuses: ClassVar[dict[str, BaseException]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        MailServer.connections += 1

    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                if address in self.refuses:
                    raise self.refuses[address]
        return super().send_messages(messages)

    @classmethod
    def reset(cls) -> None:
        cls.connections = 0
        cls.refuses = {}
