"""Take one deputy's e-mail reply from standard input (a Postfix pipe or fetchmail's MDA):

    answers  unix  -  n  n  -  -  pipe
      flags=R user=oversight argv=/srv/oversight/.venv/bin/python /srv/oversight/manage.py receive_deputy_answer
      --recipient ${recipient}

Exit status: 0 when the message was taken or refused for good (a refusal is logged, never bounced, so a forged
sender gets no backscatter); 75 (EX_TEMPFAIL) when the database could not be reached, so the mail server tries
again later; 73 (EX_CANTCREAT) on a message larger than the limit, read no further."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from deputies.services import answer_by_email

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one RFC 822 message (a deputy's reply) on stdin and record it as the answer to its question."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recipient", default="", help="The envelope recipient, when the mail server gives it.")

    def handle(self, *args: Any, **options: Any) -> None:
        limit = settings.OVERSIGHT_DEPUTY_ANSWER_MAX_BYTES
        raw = sys.stdin.buffer.read(limit + 1)  # never more than the limit and one byte
        try:
            result = answer_by_email(raw=raw, recipient=options["recipient"])
        except DatabaseError as exc:
            self.stderr.write(f"temporary failure: {exc}")
            sys.exit(EX_TEMPFAIL)
        line = f"{result.outcome} question={result.question_id or '-'}"
        if result.accepted:
            self.stdout.write(line)
        else:
            self.stderr.write(f"refused: {line}")
