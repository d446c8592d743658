"""Benchmark of the annual report build (run by hand or with `make bench`; prints figures, changes nothing).

    .venv/bin/python benchmarks/report.py [--runs 3] [--sqlite]

Two council-years in a throwaway database (a temporary PostgreSQL database on the DATABASE_URL server when that
is PostgreSQL, else a temporary SQLite file; `--sqlite` forces SQLite):

- the Almaty 2019 demo (`load_demo`, or the test data of the same size when demo/almaty_2019.json is missing);
- synthetic years ten and thirty times larger: 7,640 and 22,920 appeals, 180 and 540 monitoring events, 170 and
  510 council meetings, 890 and 2,670 draft reviews (tests/reports/yeardata.py, scale 10 and 30).

For each it prints the whole build (claim, data, HTML, PDF, storage: `report_build_run`), WeasyPrint alone on
the same HTML (each the least of the runs, which alternate), their ratio, the pages of the main document (up to
the first annex) and of the annexes, the peak resident memory of a build (Linux VmHWM, reset before each build),
the PDF's size and the SQL queries, with the load average. The council's annex threshold is the default (50 rows
per list). The builds run without the memory budget (REPORT_BUILD_MEMORY_MB=0) so that every size is measured; the
table says which would pass the default.
Goals: Almaty under 3 s on 2 cores; the whole build at most 1.2 × WeasyPrint's own time; the same number of
queries for every size; the main document under 100 pages at every size.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import re
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

GOAL_ALMATY_SECONDS = 3.0
GOAL_RATIO = 1.2
GOAL_MAIN_PAGES = 100
SCALES = (10, 30)


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
    default_budget = os.environ.get("REPORT_BUILD_MEMORY_MB")
    os.environ["REPORT_BUILD_MEMORY_MB"] = "0"  # measure every size; the table compares with the budget
    try:
        import django

        django.setup()
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        return bench(args.runs, database_url, default_budget)
    finally:
        drop()
        media.cleanup()


def reset_peak_rss() -> None:
    """Linux: make the process's peak resident size (VmHWM) its current size, so the next peak is one build's."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main_and_annex_pages(pdf: bytes) -> tuple[int, int]:
    """Pages before the first annex (the PDF's outline: each part and annex is a bookmark) and from it on."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    annex_mark = re.compile(r"^(Приложение|Annex|Қосымша|\d+-қосымша)\b")

    def flat(items: list) -> list:
        return [leaf for item in items for leaf in (flat(item) if isinstance(item, list) else [item])]

    for item in flat(reader.outline):
        if annex_mark.match(item.title or ""):
            first = reader.get_destination_page_number(item)
            return first, total - first
    return total, 0


def bench(runs: int, database_url: str, default_budget: str | None = None) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

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
    years = [(almaty_label, almaty)]
    for scale in SCALES:
        council = Council.objects.create(
            slug=f"synthetic-{scale}x", code=f"SY{scale}", name=f"Общественный совет (синтетический, ×{scale})"
        )
        make_council_year(council, scale=scale)
        years.append((f"Synthetic {scale}× year", council))
    print(f"data loaded in {time.perf_counter() - t0:.1f} s")

    built_at = timezone.now()

    def same_time(build: ReportBuild) -> ReportBuild:
        """The PDF is dated with its build's stored time: every build here gets one, so equal data, equal bytes."""
        ReportBuild.objects.filter(pk=build.pk).update(created_at=built_at)
        return build

    rows = []
    for label, council in years:
        with translation.override("ru"), CaptureQueriesContext(connection) as captured:
            html = render_html(council=council, year=2019, language="ru")
        queries = len(captured)
        pdf = html_to_pdf(html)  # warm-up: fonts, imports
        main_pages, annex_pages = main_and_annex_pages(pdf)

        weasy, whole, peaks = [], [], []
        for _ in range(runs):
            t = time.perf_counter()
            html_to_pdf(html)
            weasy.append(time.perf_counter() - t)
            build = same_time(report_build_request(council=council, year=2019, language="ru", dispatch=False))
            reset_peak_rss()
            t = time.perf_counter()
            assert report_build_run(build_id=build.pk)
            whole.append(time.perf_counter() - t)
            peaks.append(peak_rss_mb())
        hashes = set(ReportBuild.objects.filter(council=council).values_list("content_hash", flat=True))
        rows.append(
            {
                "label": label,
                # The least of the runs: other work on a shared machine only ever adds to a time (one HTML took
                # WeasyPrint 2.4 to 3.6 s within a minute here), and a ratio of two medians moved by ±30%.
                "whole": min(whole),
                "weasy": min(weasy),
                "main": main_pages,
                "annex": annex_pages,
                "peak_mb": max(peaks),
                "queries": queries,
                "identical": len(hashes) == 1,
                "kb": len(pdf) / 1024,
                "load": os.getloadavg()[0],
            }
        )

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"{'':28} {'build s':>8} {'weasy s':>8} {'ratio':>6} {'main p':>6} {'annex p':>7} {'PDF KB':>7} "
        f"{'peak RSS MB':>11} {'queries':>8} {'same hash':>9} {'load 1m':>7}"
    )
    for r in rows:
        print(
            f"{r['label']:28} {r['whole']:8.2f} {r['weasy']:8.2f} {r['whole'] / r['weasy']:6.2f} {r['main']:6d} "
            f"{r['annex']:7d} {r['kb']:7.0f} {r['peak_mb']:11.0f} {r['queries']:8d} "
            f"{'yes' if r['identical'] else 'NO':>9} {r['load']:7.2f}"
        )
    print(f"process peak RSS: {rss_mb:.0f} MB (ru_maxrss, whole run); load average: {os.getloadavg()}")
    print(
        f"memory budget per build (REPORT_BUILD_MEMORY_MB): {default_budget or 'default 1536'} MB of address space "
        "beyond the process's size at the start of the build (switched off for these runs)"
    )

    almaty_row, *large_rows = rows
    checks = [
        (f"Almaty build under {GOAL_ALMATY_SECONDS:.0f} s", almaty_row["whole"] < GOAL_ALMATY_SECONDS),
        (
            f"build at most {GOAL_RATIO} × WeasyPrint (every size)",
            all(r["whole"] <= GOAL_RATIO * r["weasy"] for r in rows),
        ),
        # The synthetic years have the same kinds of records at 10× and 30×; Almaty has kinds they lack (a work
        # plan, memoranda), each a query or two of its own: the count may differ by kind, never by size.
        ("same query count at 10× and 30× (no query per record)", len({r["queries"] for r in large_rows}) == 1),
        (
            f"main document under {GOAL_MAIN_PAGES} pages at every size (default annex threshold)",
            all(r["main"] < GOAL_MAIN_PAGES for r in rows),
        ),
        ("the same data and build time give the same bytes", all(r["identical"] for r in rows)),
    ]
    print()
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")
    return 0 if all(ok for _text, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
