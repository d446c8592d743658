"""`manage.py load_demo_receptions`: the Almaty demo's receptions of citizens, around today (receptions/demo.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from receptions.demo import load


class Command(BaseCommand):
    help = (
        "Add a schedule of receptions of citizens to the Almaty demo: three held with their outcomes, three to "
        "come. Running it again changes nothing while one is still to come."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        added = load()
        if added:
            self.stdout.write(self.style.SUCCESS(f"demo receptions (almaty): {added} added"))
        else:
            self.stdout.write("demo receptions (almaty): up to date (or no Almaty demo), nothing written")
