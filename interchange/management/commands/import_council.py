from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import ngettext

from interchange.services import CouncilActivityInvalid, ImportSummary, council_activity_import
from interchange.validation import ValidationIssue, check_council_activity


def read_council_activity(path: Path) -> Any:
    """The parsed file, or a CommandError that says where the JSON is broken."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: cannot read the file: {exc.strerror or exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc


def refuse(path: Path, issues: list[ValidationIssue]) -> CommandError:
    """Every mistake in the order of the file, what each one causes elsewhere listed under it."""
    heading = ngettext(
        "%(path)s: %(count)d error, nothing was imported:",
        "%(path)s: %(count)d errors, nothing was imported:",
        len(issues),
    ) % {"path": path, "count": len(issues)}
    return CommandError("\n".join([heading, *(line for issue in issues for line in issue.lines())]))


def warning_lines(path: Path, warnings: list[ValidationIssue]) -> list[str]:
    if not warnings:
        return []
    heading = ngettext(
        "%(path)s: %(count)d warning (imported all the same):",
        "%(path)s: %(count)d warnings (imported all the same):",
        len(warnings),
    ) % {"path": path, "count": len(warnings)}
    return [heading, *(line for issue in warnings for line in issue.lines())]


def import_council_file(path: Path) -> ImportSummary:
    data = read_council_activity(path)
    # The service validates the file before it writes anything (once: the schema check is most of an import's
    # time, 20.7 of 22.3 s for a 20,000-appeal file when it ran twice).
    try:
        return council_activity_import(data=data)
    except CouncilActivityInvalid as exc:
        raise refuse(path, exc.issues) from exc
    except DatabaseError as exc:
        # A rule the validator does not know yet; the transaction rolled back, so say so plainly.
        raise CommandError(f"{path}: the database refused the import, nothing was written: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Validate a council-activity file (format oversight.council-activity/4, or /3, /2 or /1) and import it in one "
        "transaction. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the JSON file")
        parser.add_argument("--check", action="store_true", help="only validate the file; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["check"]:
            checked = check_council_activity(read_council_activity(path))
            if checked.errors:
                raise refuse(path, checked.errors)
            for line in warning_lines(path, checked.warnings):
                self.stderr.write(line)
            self.stdout.write(f"{path}: valid")
            return
        summary = import_council_file(path)
        for line in warning_lines(path, summary.warnings):
            self.stderr.write(line)
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        verdict = "imported" if summary.changed else "already up to date, nothing written"
        self.stdout.write(self.style.SUCCESS(f"{summary.council.slug} {summary.year}: {verdict}"))
