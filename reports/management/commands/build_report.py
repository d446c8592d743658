"""`manage.py build_report SLUG YEAR [-o FILE] [--language ru|kk|en] [--format pdf|docx]`: build the annual
report now.

The same code as the worker: a ReportBuild is recorded and run in this process (no broker needed), so the
file is stored and the build shows in the admin like any other.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import languages
from councils.models import Council
from reports.models import BuildStatus, ReportBuild, ReportFormat
from reports.services import report_build_request, report_build_run


class Command(BaseCommand):
    help = "Build a council's annual report synchronously and print where it is (or write it with -o)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the council's slug, e.g. almaty")
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", type=Path, help="also write the file (PDF or DOCX) here")
        parser.add_argument("--language", default="ru", choices=languages.codes(), help="default: ru")
        parser.add_argument(
            "--format", default=ReportFormat.PDF, choices=ReportFormat.values, help="pdf (default) or docx (Word)"
        )

    def handle(self, *args, slug: str, year: int, output: Path | None, language: str, format: str, **options) -> None:
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            raise CommandError(f"No council with the slug {slug!r}.")
        try:
            build = report_build_request(council=council, year=year, language=language, format=format, dispatch=False)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        report_build_run(build_id=build.pk)
        build = ReportBuild.objects.get(pk=build.pk)
        if build.status != BuildStatus.DONE:
            raise CommandError(f"Build {build.pk} failed:\n{build.error}")
        if output is not None:
            with build.file.open("rb") as source:
                output.write_bytes(source.read())
            self.stdout.write(f"Wrote {output} ({output.stat().st_size} bytes)")
        self.stdout.write(self.style.SUCCESS(f"Build {build.pk}: {build.file.name}, sha256 {build.content_hash}"))
