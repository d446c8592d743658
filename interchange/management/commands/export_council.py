from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from councils.models import Council
from interchange.selectors import NothingToExport, council_activity_dumps, council_activity_export
from interchange.validation import validate_council_activity


class Command(BaseCommand):
    help = "Write one council's year as a council-activity file (format oversight.council-activity/4)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the council's slug")
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.objects.filter(slug=options["slug"]).first()
        if council is None:
            raise CommandError(f"no council with slug {options['slug']!r}")
        try:
            data = council_activity_export(council=council, year=options["year"])
        except NothingToExport as exc:
            raise CommandError(str(exc)) from exc
        # Never hand out a file our own import would refuse (data entered outside the format's rules).
        issues = validate_council_activity(data)
        if issues:
            lines = [f"the export is not a valid file, nothing was written ({len(issues)} error(s)):"]
            raise CommandError("\n".join([*lines, *(line for issue in issues for line in issue.lines())]))
        text = council_activity_dumps(data)
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"{council.slug} {options['year']}: written to {output}")
