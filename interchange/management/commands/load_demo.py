from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .import_council import import_council_file, warning_lines


class Command(BaseCommand):
    help = "Import the Almaty 2019 demo data (demo/almaty_2019.json). Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.BASE_DIR / "demo" / "almaty_2019.json"
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        summary = import_council_file(path)
        for line in warning_lines(path, summary.warnings):
            self.stderr.write(line)
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        verdict = "loaded" if summary.changed else "already loaded, nothing written"
        self.stdout.write(self.style.SUCCESS(f"demo data {summary.council.slug} {summary.year}: {verdict}"))
