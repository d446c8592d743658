"""Benchmark of the annual report build (run by hand or with `make bench`; prints figures, changes nothing).

    .venv/bin/python benchmarks/report.py [--runs 3] [--sqlite]

Two council-years in a throwaway database (a temporary PostgreSQL database on the DATABASE_URL server when that
is PostgreSQL, else a temporary SQLite file; `--sqlite` forces SQLite):

- the Almaty 2019 demo (`load_demo`, or the test data of the same size when demo/almaty_2019.json is missing);
- a synthetic year ten times larger: 7,640 appeals, 180 monitoring events, 170 council meetings, 890 draft
  reviews (tests/reports/yeardata.py, scale 10).

For each it prints the whole build (claim, data, HTML, PDF, storage: `report_build_run`), WeasyPrint alone on
the same HTML, their ratio, the pages, the peak memory and the SQL queries. Goals: Almaty under 3 s on 2 cores;
the whole build at most 1.2 × WeasyPrint's own time; the same number of queries for both sizes.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

GOAL_ALMATY_SECONDS = 3.0
GOAL_RATIO = 1.2


def throwaway_database(force_sqlite: bool) -> tuple[str, callable]:
    """A database URL that nothing else uses, and the function that drops it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not force_sqlite:
        import psycopg2

        parts = urlsplit(url)
        name = f"oversight_bench_{uuid.uuid4().hex[:8]}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))

        def run(sql: str) -> None:
            connection = psycopg2.connect(admin_url)
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(sql)
            connection.close()

        run(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            run(f'DROP DATABASE IF EXISTS "{name}"')

        return urlunsplit(parts._replace(path=f"/{name}")), drop
    directory = tempfile.TemporaryDirectory(prefix="oversight-bench-")
    return f"sqlite:///{directory.name}/bench.sqlite3", directory.cleanup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per council-year (after one warm-up)")
    parser.add_argument("--sqlite", action="store_true", help="use a temporary SQLite file even with PostgreSQL")
    args = parser.parse_args()

    database_url, drop = throwaway_database(args.sqlite)
    os.environ["DATABASE_URL"] = database_url
    media = tempfile.TemporaryDirectory(prefix="oversight-bench-media-")
    os.environ["DJANGO_MEDIA_ROOT"] = media.name
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    try:
        import django

        django.setup()
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        return bench(args.runs, database_url)
    finally:
        drop()
        media.cleanup()


def bench(runs: int, database_url: str) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation
    from pypdf import PdfReader

    from councils.models import Council
    from reports.models import ReportBuild
    from reports.rendering import html_to_pdf, render_html
    from reports.services import report_build_request, report_build_run
    from tests.reports.yeardata import make_council_year

    print(
        f"database: {connection.vendor} ({urlsplit(database_url).path.rsplit('/', 1)[-1]}), "
        f"cores: {os.cpu_count()}, runs: {runs} after a warm-up"
    )
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo = ROOT / "demo" / "almaty_2019.json"
    if demo.exists():
        call_command("load_demo", verbosity=0)
        almaty = Council.objects.get(slug="almaty")
        almaty_label = "Almaty 2019 (demo)"
    else:
        almaty = Council.objects.create(slug="almaty", code="ALM", name="Общественный совет города Алматы")
        make_council_year(almaty)
        almaty_label = "Almaty-sized (test data)"
    large = Council.objects.create(slug="synthetic-10x", code="SYN", name="Общественный совет (синтетический, ×10)")
    make_council_year(large, scale=10)
    print(f"data loaded in {time.perf_counter() - t0:.1f} s")

    built_at = timezone.now()

    def same_time(build: ReportBuild) -> ReportBuild:
        """The PDF is dated with its build's stored time: every build here gets one, so equal data, equal bytes."""
        ReportBuild.objects.filter(pk=build.pk).update(created_at=built_at)
        return build

    rows = []
    for label, council in ((almaty_label, almaty), ("Synthetic 10× year", large)):
        with translation.override("ru"), CaptureQueriesContext(connection) as captured:
            html = render_html(council=council, year=2019, language="ru")
        queries = len(captured)
        pdf = html_to_pdf(html)  # warm-up: fonts, imports
        pages = len(PdfReader(io.BytesIO(pdf)).pages)

        weasy, whole = [], []
        for _ in range(runs):
            t = time.perf_counter()
            html_to_pdf(html)
            weasy.append(time.perf_counter() - t)
            build = same_time(report_build_request(council=council, year=2019, language="ru", dispatch=False))
            t = time.perf_counter()
            assert report_build_run(build_id=build.pk)
            whole.append(time.perf_counter() - t)
        tracemalloc.start()
        build = same_time(report_build_request(council=council, year=2019, language="ru", dispatch=False))
        report_build_run(build_id=build.pk)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        hashes = set(ReportBuild.objects.filter(council=council).values_list("content_hash", flat=True))
        rows.append(
            {
                "label": label,
                "whole": statistics.median(whole),
                "weasy": statistics.median(weasy),
                "pages": pages,
                "peak_mb": peak / 2**20,
                "queries": queries,
                "identical": len(hashes) == 1,
                "kb": len(pdf) / 1024,
            }
        )

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"{'':28} {'build s':>8} {'weasy s':>8} {'ratio':>6} {'pages':>6} {'PDF KB':>7} {'py peak MB':>10} "
        f"{'queries':>8} {'same hash':>9}"
    )
    for r in rows:
        print(
            f"{r['label']:28} {r['whole']:8.2f} {r['weasy']:8.2f} {r['whole'] / r['weasy']:6.2f} {r['pages']:6d} "
            f"{r['kb']:7.0f} {r['peak_mb']:10.1f} {r['queries']:8d} {'yes' if r['identical'] else 'NO':>9}"
        )
    print(f"process peak RSS: {rss_mb:.0f} MB (ru_maxrss, whole run)")

    almaty_row, large_row = rows
    checks = [
        (f"Almaty build under {GOAL_ALMATY_SECONDS:.0f} s", almaty_row["whole"] < GOAL_ALMATY_SECONDS),
        (
            f"build at most {GOAL_RATIO} × WeasyPrint (both sizes)",
            all(r["whole"] <= GOAL_RATIO * r["weasy"] for r in rows),
        ),
        ("same query count for both sizes", almaty_row["queries"] == large_row["queries"]),
        ("the same data and build time give the same bytes", all(r["identical"] for r in rows)),
    ]
    print()
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")
    return 0 if all(ok for _text, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
