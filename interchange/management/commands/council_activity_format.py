"""`manage.py council_activity_format [--write]`: the format /4 schema and the documentation's tables, made from the
record kinds' declarations (interchange/schema_build.py). Without --write it checks that both are current."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interchange.schema_build import DOC_PATH, doc_text, schema_text
from interchange.validation import SCHEMA_PATH


class Command(BaseCommand):
    help = "Write (--write) or check the council-activity /4 JSON Schema and the format documentation's tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help="write the files instead of checking them")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = {SCHEMA_PATH: schema_text(), DOC_PATH: doc_text(DOC_PATH.read_text(encoding="utf-8"))}
        stale = [path for path, text in wanted.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
        if options["write"]:
            for path in stale:
                path.write_text(wanted[path], encoding="utf-8")
                self.stdout.write(f"written: {path}")
            return
        if stale:
            names = ", ".join(str(path) for path in stale)
            raise CommandError(f"out of date: {names} (run manage.py council_activity_format --write)")
        self.stdout.write("the schema and the documentation are current")
