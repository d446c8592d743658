from django.core.management.base import BaseCommand

from core.outbox import outbox_flush


class Command(BaseCommand):
    help = "Hand every pending outbox message (mail, follow-up tasks) to the Celery broker."

    def handle(self, *args: object, **options: object) -> None:
        count = outbox_flush()
        self.stdout.write(f"{count} message(s) handed over")
