from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from deputies.demo import load


class Command(BaseCommand):
    help = "Load the deputies demo: Pavlodar city maslikhat, invented names, 2024. Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        if load():
            self.stdout.write(self.style.SUCCESS("deputies demo (Pavlodar city maslikhat): loaded"))
        else:
            self.stdout.write("deputies demo (Pavlodar city maslikhat): already loaded, nothing written")
