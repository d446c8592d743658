"""Memory of an open-data CSV download at 100,000 rows (run by hand; prints figures, changes nothing).

    .venv/bin/python benchmarks/csv_stream.py [--rows 100000]   (DATABASE_URL names the server to use)

1. A throwaway database `oversight_bench_csv` (dropped at the end, whatever happened), migrated, with `--rows`
   draft act reviews in one council (bulk_create).
2. GET /api/v1/draft-reviews/?format=csv through Django's test client; the streamed body is read and thrown
   away chunk by chunk, as a WSGI server would send it. tracemalloc's peak is printed, with the rows, bytes and
   seconds, for 10% of the rows and for all of them: a flat peak means memory does not grow with the list.
3. The same for `?format=xlsx` (openpyxl write-only to a temporary file; its shared-strings table grows with the
   distinct texts, so its peak is expected to grow somewhat).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "oversight_bench_csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/oversight").rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    admin(base, f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}")
    try:
        run(args.rows)
    finally:
        from django.db import connections

        connections.close_all()
        admin(base, f"DROP DATABASE IF EXISTS {DATABASE}")


def admin(base: str, *statements: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def run(rows: int) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from councils.models import Council, StateBody
    from monitoring.models import DraftActReview

    settings.ALLOWED_HOSTS = ["*"]
    settings.OPEN_API_CACHE_SECONDS = 0
    call_command("migrate", verbosity=0)
    council = Council.objects.create(slug="bench", code="BEN", name="Benchmark council", is_published=True)
    body = StateBody.objects.create(slug="akimat", name="Акимат")
    # One row in ten in 2018: `?year=2018` downloads 10% of the list, no filter all of it.
    DraftActReview.objects.bulk_create(
        (
            DraftActReview(
                council=council,
                key=f"draft-{i}",
                title=f"Проект постановления акимата № {i}: о порядке и условиях",
                developer=body,
                discussion_start=dt.date(2018 if i % 10 == 0 else 2019, 1, 1) + dt.timedelta(days=i % 300),
                discussion_end=dt.date(2018 if i % 10 == 0 else 2019, 1, 11) + dt.timedelta(days=i % 300),
                remarks="Замечания учтены частично. " * 4,
            )
            for i in range(rows)
        ),
        batch_size=5000,
    )
    print(f"{'format':<6} {'rows':>8} {'MB sent':>8} {'seconds':>8} {'peak MB':>8}")
    for fmt in ("csv", "xlsx"):
        measure(fmt, {"year": "2018"})
        measure(fmt, {})


def measure(fmt: str, query: dict[str, str]) -> None:
    from django.test import Client

    client = Client()
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/api/v1/draft-reviews/", {"format": fmt, **query})
    sent = lines = 0
    for chunk in response.streaming_content:  # sent and forgotten, as a WSGI server does
        sent += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = lines - 1 if fmt == "csv" else "-"
    print(f"{fmt:<6} {rows!s:>8} {sent / 1e6:>8.1f} {seconds:>8.1f} {peak / 1e6:>8.1f}   {query or 'all'}")


if __name__ == "__main__":
    main()
