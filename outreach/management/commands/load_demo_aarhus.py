"""`manage.py load_demo_aarhus`: the demo Aarhus centre (the Zhaik-Caspian centre of the seeds) with a year of
library documents, trainings, consultations, partners and memoranda, from demo/zhaik_caspian_2019.json; then the
steps other apps register for it (core/demo.py: information requests, an EIA hearing). Every record is marked
demo; running it again changes nothing (records are found by their keys; the generated consultation log is the
same every time)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import run_demo_steps
from councils.models import Council, CouncilKind, Memorandum, Partner
from library.models import Document
from outreach.models import Consultation, ConsultationKind, ConsultationOutcome, Training

DEMO_FILE = "zhaik_caspian_2019.json"
LEGAL_TOPICS = ("information", "participation", "land_water")


def _translated(field: str, values: dict[str, str]) -> dict[str, str]:
    """{"name": "…", "name_ru": "…", "name_kk": "…", "name_en": "…"} from {"ru": …, "kk": …, "en": …}."""
    result = {field: values["ru"]}
    result.update({f"{field}_{language}": text for language, text in values.items()})
    return result


def _spread(counts: dict[str, int], rng: random.Random) -> list[str]:
    values = [value for value, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def _working_day(year: int, month: int, rng: random.Random) -> dt.date:
    while True:
        day = dt.date(year, month, rng.randint(1, 28))
        if day.weekday() < 5:
            return day


class Command(BaseCommand):
    help = "Load the demo Aarhus centre (demo/zhaik_caspian_2019.json). Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.BASE_DIR / "demo" / DEMO_FILE
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        data = json.loads(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            council, counts = self.load(data)
            steps = run_demo_steps(council=council, year=data["year"], data=data)
        for name, n in counts.items():
            self.stdout.write(f"  {name}: {n}")
        if steps:
            self.stdout.write(f"  and the steps of other apps: {', '.join(steps)}")
        self.stdout.write(self.style.SUCCESS(f"demo Aarhus centre {council.slug} {data['year']}: loaded"))

    def load(self, data: dict[str, Any]) -> tuple[Council, dict[str, int]]:
        year = data["year"]
        about = data["council"]
        fields: dict[str, Any] = {"code": about["code"], "kind": CouncilKind.AARHUS, "is_published": True}
        fields.update(city=about["city"], region=about["region"])
        for name in ("name", "short_name", "legal_basis", "description"):
            fields.update(_translated(name, about[name]))
        council, _created = Council.objects.update_or_create(slug=about["slug"], defaults=fields)

        partners = {}
        for item in data["partners"]:
            partners[item["key"]], _ = Partner.objects.update_or_create(
                council=council, key=item["key"], defaults={"kind": item["kind"], **_translated("name", item["name"])}
            )
        for item in data["memoranda"]:
            Memorandum.objects.update_or_create(
                council=council,
                key=item["key"],
                defaults={
                    "title": item["title"],
                    "partner": partners[item["partner"]],
                    "signed_on": dt.date.fromisoformat(item["signed_on"]),
                    "is_demo": True,
                },
            )
        documents = {}
        for item in data["documents"]:
            documents[item["key"]], _ = Document.objects.update_or_create(
                council=council,
                key=item["key"],
                defaults={
                    "title": item["title"],
                    "summary": item.get("summary", ""),
                    "kind": item["kind"],
                    "topic": item["topic"],
                    "language": item["language"],
                    "published_on": dt.date.fromisoformat(item["published_on"]),
                    "source": item.get("source", ""),
                    "url": item["url"],
                    "is_published": True,
                    "is_demo": True,
                },
            )
        for item in data["trainings"]:
            training, _ = Training.objects.update_or_create(
                council=council,
                key=item["key"],
                defaults={
                    "kind": item["kind"],
                    "title": item["title"],
                    "date": dt.date.fromisoformat(item["date"]),
                    "end_date": dt.date.fromisoformat(item["end_date"]) if item.get("end_date") else None,
                    "place": item.get("place", ""),
                    "audience": item["audience"],
                    "participants": item["participants"],
                    "is_demo": True,
                },
            )
            training.materials.set([documents[key] for key in item["materials"]])
            training.partners.set([partners[key] for key in item["partners"]])

        consultations = self.consultation_log(council, year, data["consultations"])
        return council, {
            "partners": len(partners),
            "memoranda": len(data["memoranda"]),
            "library documents": len(documents),
            "trainings": len(data["trainings"]),
            "consultations": consultations,
        }

    def consultation_log(self, council: Council, year: int, spec: dict[str, Any]) -> int:
        """The year's consultation log, generated the same every time (seeded): the demo rows are replaced whole.
        No names or contacts: a demo must not look like a real person's record."""
        rng = random.Random(spec["seed"])
        topics = _spread(spec["topics"], rng)
        outcomes = _spread(spec["outcomes"], rng)
        channels = _spread(spec["channels"], rng)
        Consultation.objects.filter(council=council, is_demo=True, date__year=year).delete()
        rows = []
        i = 0
        for month, n in enumerate(spec["per_month"], 1):
            for _ in range(n):
                outcome = outcomes[i]
                rows.append(
                    Consultation(
                        council=council,
                        date=_working_day(year, month, rng),
                        kind=ConsultationKind.LEGAL
                        if topics[i] in LEGAL_TOPICS or outcome == ConsultationOutcome.COMPLAINT
                        else ConsultationKind.ENVIRONMENTAL,
                        channel=channels[i],
                        topic=topics[i],
                        outcome=outcome,
                        referred_to=rng.choice(spec["referred_to"]) if outcome == ConsultationOutcome.REFERRED else "",
                        is_demo=True,
                    )
                )
                i += 1
        Consultation.objects.bulk_create(rows)
        return len(rows)
