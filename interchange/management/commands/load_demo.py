from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.demo import ALMATY, run_demo_steps
from news.demo import load_demo_news

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
        # The council's news, which the council-activity file does not carry yet (news/demo.py).
        news = load_demo_news(council=summary.council)
        # The registries' steps (core/demo.py): the experts' workflow and the stakeholders the report names.
        data = json.loads(path.read_text(encoding="utf-8"))
        for step in run_demo_steps(council=summary.council, year=summary.year, data=data, demo=ALMATY):
            self.stdout.write(f"  {step}: done")
        if news:
            self.stdout.write(f"  news items: {news}")
        verdict = "loaded" if summary.changed or news else "already loaded, nothing written"
        self.stdout.write(self.style.SUCCESS(f"demo data {summary.council.slug} {summary.year}: {verdict}"))
