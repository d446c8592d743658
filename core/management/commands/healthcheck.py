"""`manage.py healthcheck`: the /healthz checks from the command line; exit status 1 when one fails."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from core.health import run_checks


class Command(BaseCommand):
    help = "Check the database, the cache and the Celery broker, as GET /healthz does; exit 1 on a failure."

    def handle(self, *args: object, **options: object) -> None:
        checks = run_checks()
        healthy = all(value == "ok" for value in checks.values())
        self.stdout.write(json.dumps({"status": "ok" if healthy else "error", "checks": checks}))
        if not healthy:
            raise CommandError("unhealthy: " + ", ".join(name for name, value in checks.items() if value != "ok"))
