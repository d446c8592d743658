"""The portal at national scale: server time, queries and rows read of the pages that grow with the appeals.

    .venv/bin/python benchmarks/scale.py [--appeals 1000000] [--councils 250] [--years 10] [--runs 7] [--rebuild]
    .venv/bin/python benchmarks/scale.py --appeals 10000 && .venv/bin/python benchmarks/scale.py   (the growth)

(DATABASE_URL names the server; prints figures, asserts nothing.)

1. A database `oversight_bench_scale_<appeals>` built once and reused by later runs (`--rebuild` drops it):
   `--councils` published councils, one of which (`big`) holds a tenth of the appeals, the rest spread by a
   skewed draw; appeals over `--years` years ending in the current one, with a realistic status mix (most ended,
   a tenth new, open ones with deadlines near today) and Russian and Kazakh texts from a fixed phrase list. Rows
   are made by PostgreSQL (`INSERT … SELECT generate_series`, `setseed`): the same arguments give the same data.
2. Each page is requested `--runs` times through Django's test client with the cache cleared before each request
   (cold: what the first visitor after an edit pays), signed in as the big council's secretary for the staff
   pages, after a first request timed apart ("first": the process compiles the page's templates then, once per
   server process, and a closed year's figures are counted before they are kept, once per year). Printed per
   page: median and p95 server time of the runs, the first request's, the queries it ran, and the rows PostgreSQL
   read for them (EXPLAIN ANALYZE of every query of the last run: rows returned plus rows removed by a filter,
   summed over the scans), so a page whose cost grows with the table shows it even on a fast machine.
3. The load average before and after, for the README.

Each page is named in the output by its label (the URL name for the pages found in the URL map: every page that the
big council's slug, a year or nothing is enough to address, staff and public, and the open API's lists). The figures
are kept in build/scale-<appeals>.json; a run at another size prints the growth of each page's median time and rows
read against them (`--compare 10000`, the default).

Goals (issue 17): every page p95 < 100 ms, inbox search < 50 ms, no page more than 1.5× slower at 1,000,000
appeals than at 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"}

SUBJECTS = [
    "Вывоз мусора во дворе",
    "Ремонт дороги на улице",
    "Отключение горячей воды",
    "Освещение во дворе",
    "Загрязнение воздуха ТЭЦ",
    "Озеленение сквера",
    "Очередь в поликлинике",
    "Места в детском саду",
    "Работа ОСИ",
    "Ауладағы қоқыс",
    "Жол жөндеу",
    "Автобус маршруты",
]
PHRASES = [
    "Прошу принять меры.",
    "Жители дома неоднократно обращались в акимат района.",
    "Ответа до сих пор нет.",
    "Подрядчик не выполнил работы в срок.",
    "Ситуация повторяется каждую зиму.",
    "Просим провести общественный мониторинг.",
    "Прилагаю фотографии.",
    "Тұрғындар әкімдікке бірнеше рет жүгінді.",
    "Жауап әлі жоқ.",
    "Шара қолдануды сұраймын.",
    "Во дворе нет освещения и детской площадки.",
    "Автобус ходит раз в час, остановка не оборудована.",
]
CHANNELS = ["web", "email", "social", "in_person", "duty_service", "phone", "post"]
CATEGORIES = ["ecology", "transport", "improvement", "housing", "health", "education", "social", "law_order", "other"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--councils", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    # Another name for the database, e.g. a copy (CREATE DATABASE … TEMPLATE …) to measure a branch's migrations.
    parser.add_argument("--database", default="")
    # The size whose figures (build/scale-<N>.json, left by its run) the growth column compares with.
    parser.add_argument("--compare", type=int, default=10_000)
    # Only the pages whose label contains one of these words (all when none is given), e.g. --only popolo stats.
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    database = args.database or f"oversight_bench_scale_{args.appeals}"
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/oversight").rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CACHE_URL", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    exists = admin(base, f"SELECT 1 FROM pg_database WHERE datname = '{database}'")  # noqa: S608 - our own name
    if args.rebuild or not exists:
        admin(base, f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}")
    import django

    django.setup()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.rebuild or not exists:
        started = time.perf_counter()
        build(args.appeals, args.councils, args.years)
        print(f"built {args.appeals:,} appeals in {args.councils} councils in {time.perf_counter() - started:.0f} s")
    else:
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)  # a database built before this code's migrations
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a live table: visibility map, statistics
    walk_records()
    from core.heap import settle_heap

    settle_heap()  # as config/wsgi.py does in every web process: the start-up objects out of the collector's way
    unmeasured = measure_all(args.runs, args.appeals, args.compare, args.only)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if unmeasured:
        # A page that answers 404 or 403 is not measured: the walk must name it with what it needs.
        print(f"not measured (the walk gave no valid address or user): {', '.join(unmeasured)}")
        raise SystemExit(1)


# What some pages name besides the council: a state body (its slug) and the chair (the council's staff pages).
STATE_BODY = "big-akimat"
STATE_BODY_PAGES = ("reports:state_body", "open_api:state-body-detail")
CHAIR_PAGES = ("workspace:staff_invite",)
QUERIES = {"alerts:subscribe": "?council=big"}


def walk_records() -> None:
    """The records the walk names that the build does not make (kept idempotent: a database built by an earlier
    version of this script gets them too)."""
    from django.contrib.auth import get_user_model

    from councils.models import Council, StateBody
    from councils.services import council_staff_grant

    StateBody.objects.get_or_create(slug=STATE_BODY, defaults={"name": "Акимат (нагрузочный тест)"})
    chair, created = get_user_model().objects.get_or_create(username="chair", defaults={"is_staff": True})
    if created:
        council_staff_grant(user=chair, council=Council.objects.get(slug="big"), role="chair")


def admin(base: str, *statements: str) -> bool:
    import psycopg2

    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    found = False
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                found = cursor.description is not None and cursor.fetchone() is not None
    finally:
        connection.close()
    return found


def build(appeals: int, councils: int, years: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from councils.models import Council
    from councils.services import council_staff_grant

    call_command("migrate", verbosity=0)
    this_year = timezone.localdate().year
    created = Council.objects.bulk_create(
        Council(
            slug="big" if i == 0 else f"c{i:03d}",
            code=f"C{i:03d}",
            name=f"Общественный совет {i}",
            region=f"Регион {i % 17}",  # the home page's filter: 17 regions, as Kazakhstan has
            is_published=True,
        )
        for i in range(councils)
    )
    secretary = get_user_model().objects.create_user("secretary", is_staff=True)
    council_staff_grant(user=secretary, council=created[0], role="secretary")
    first_id = created[0].pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.17)")
        # One tenth in the big council; the rest drawn with a skew (a few busy councils, many quiet ones).
        cursor.execute(
            """
            CREATE TEMP TABLE draw AS
            SELECT g AS n,
                   CASE WHEN g %% 10 = 0 THEN 0 ELSE 1 + floor((%(councils)s - 1) * power(random(), 2))::int END AS c,
                   %(this_year)s - floor(random() * %(years)s)::int AS y,
                   random() AS r, random() AS s, random() AS t
            FROM generate_series(1, %(appeals)s) AS g
            """,
            {"councils": councils, "this_year": this_year, "years": years, "appeals": appeals},
        )
        cursor.execute(
            """
            INSERT INTO appeals_appeal (
                council_id, number, year, sequence, registered_at, channel, applicant_type, category, language,
                status, due_date, extended_until, answered_on, is_demo, applicant_name, organisation, bin_iin, email,
                phone, address, place, subject, text, answer_text, personal_data_consent, tracking_token,
                submission_key, submission_digest
            )
            SELECT %(first)s + c,
                   'C' || lpad(c::text, 3, '0') || '-' || y || '-' || lpad(seq::text, 6, '0'),
                   y, seq, registered,
                   (%(channels)s::text[])[1 + floor(s * 7)::int],
                   CASE WHEN t < 0.9 THEN 'individual' ELSE 'legal_entity' END,
                   (%(categories)s::text[])[1 + floor(t * 9)::int],
                   CASE WHEN s < 0.8 THEN 'ru' ELSE 'kk' END,
                   status, (registered + interval '21 days')::date, NULL,
                   CASE WHEN status IN ('answered', 'closed') THEN (registered + interval '14 days')::date END,
                   false, 'Заявитель ' || n, '', '', 'applicant' || n || '@example.kz', '', '', '',
                   (%(subjects)s::text[])[1 + floor(r * 12)::int],
                   (%(phrases)s::text[])[1 + floor(r * 12)::int] || ' ' || (%(phrases)s::text[])[1 + floor(s * 12)::int]
                       || ' ' || (%(phrases)s::text[])[1 + floor(t * 12)::int] || ' Обращение ' || n || '.',
                   '', true, md5(n::text), '', ''
            FROM (
                SELECT d.*, row_number() OVER (PARTITION BY c, y ORDER BY n) AS seq,
                       CASE WHEN y < %(this_year)s
                            THEN make_timestamptz(y, 1, 1, 9, 0, 0, 'Asia/Almaty') + (r * interval '364 days')
                            ELSE now() - (r * (now() - make_timestamptz(y, 1, 1, 9, 0, 0, 'Asia/Almaty'))) END
                           AS registered,
                       CASE WHEN y < %(this_year)s OR r > 0.2
                            THEN (ARRAY['answered', 'closed', 'closed', 'left_without_consideration'])
                                 [1 + floor(t * 4)::int]
                            ELSE (ARRAY['registered', 'assigned', 'forwarded', 'answer_received'])
                                 [1 + floor(s * 4)::int]
                       END AS status
                FROM draw d
            ) AS rows
            """,
            {
                "first": first_id,
                "this_year": this_year,
                "channels": CHANNELS,
                "categories": CATEGORIES,
                "subjects": SUBJECTS,
                "phrases": PHRASES,
            },
        )
        cursor.execute(
            """
            INSERT INTO appeals_appealcounter (council_id, year, last)
            SELECT council_id, year, max(sequence) FROM appeals_appeal GROUP BY council_id, year
            """
        )
        cursor.execute("VACUUM ANALYZE")  # the visibility map index-only scans need, and the statistics


def pages() -> list[tuple[str, str, str]]:
    """(label, URL, who: "secretary", "chair" or "" for a visitor): the inbox's costly cases by hand, then every
    page of the URL map that a council's slug (and a year) is enough to name, staff and public, and every open-data
    list."""
    from django.utils import timezone

    year = timezone.localdate().year
    inbox = "/ru/workspace/big/appeals/"
    chosen = [
        ("inbox: default", inbox, "secretary"),
        ("inbox: open only", f"{inbox}?status=open", "secretary"),
        ("inbox: page 300", f"{inbox}?page=300", "secretary"),
        ("inbox: newest first", f"{inbox}?sort=-registered", "secretary"),
        ("inbox: search, 0 hits", f"{inbox}?q=квазар", "secretary"),
        ("inbox: search, common word", f"{inbox}?q=освещение", "secretary"),
        ("inbox: common word, page 40", f"{inbox}?q=освещение&page=40", "secretary"),
        ("inbox: common word, newest first", f"{inbox}?q=освещение&sort=-registered", "secretary"),
        ("inbox: common word, open only", f"{inbox}?q=освещение&status=open", "secretary"),
        ("inbox: search, Kazakh word", f"{inbox}?q=қоқыс", "secretary"),
        ("inbox: number prefix", f"{inbox}?q=C000-{year}-0001", "secretary"),
        ("home", "/ru/", ""),
        ("home: a region", "/ru/?place=Регион 7", ""),
        ("council page", "/ru/councils/big/", ""),
        ("stats API", f"/api/v1/councils/big/stats/?year={year}", ""),
        # A closed year's figures are kept once counted (appeals.selectors._kept_outcomes): the first request
        # counts them ("first"), the runs read them.
        ("stats API: closed year", f"/api/v1/councils/big/stats/?year={year - 1}", ""),
        ("popolo: closed year", f"/api/v1/popolo/big/{year - 1}.json", ""),
        ("year file: closed year", f"/open-data/big/{year - 1}.json", ""),
    ]
    seen = {url.split("?")[0] for _label, url, _staff in chosen}
    for label, url, staff in every_page(year):
        if url not in seen:
            seen.add(url)
            chosen.append((label, url, staff))
    return chosen


def every_page(year: int) -> list[tuple[str, str, str]]:
    """The named GET pages reversible with the big council's slug, a year, or nothing: the workspace's (signed
    in), the public ones and the API's lists. Exports, feeds and files are left out (benchmarks/csv_stream.py)."""
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
    from django.utils import translation

    names: list[str] = []

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                names.append(f"{namespace}{entry.name}")

    walk(get_resolver().url_patterns, "")
    found = []
    skip = ("export", "download", "feed", ".ics", "schema", "logout", "admin", "healthz", "/new", "/add", "create")
    skip += ("accounts", "password", "login", "two-factor", "submit", "api-root")  # forms and redirects
    with translation.override("ru"):
        for name in dict.fromkeys(names):
            candidates = ({"slug": STATE_BODY},) if name in STATE_BODY_PAGES else ()
            for kwargs in (*candidates, {"slug": "big"}, {"slug": "big", "year": year}, {}):
                try:
                    url = reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    continue
                if any(word in url or word in name for word in skip):
                    break
                staff = url.startswith("/ru/workspace/") or "/workspace/" in url
                who = "chair" if name in CHAIR_PAGES else "secretary" if staff else ""
                if url.startswith(("/ru/", "/api/v1/")) and "/admin/" not in url:
                    found.append((name, url + QUERIES.get(name, ""), who))
                break
    return found


def measure_all(runs: int, appeals: int, compare: int, only: list[str] | None = None) -> list[str]:
    """Each page `runs` times, cold; prints the figures and, when a run at `compare` appeals left its figures in
    build/, the growth of each page's median time and rows read from there to here. This run's figures are kept
    in build/scale-<appeals>.json for the next comparison. Returns the pages that answered neither 200 nor a
    redirect (not measured)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    from django.contrib.auth import get_user_model

    from core import process_cache

    clients = {"": Client()}
    for who in ("secretary", "chair"):
        clients[who] = Client()
        clients[who].force_login(get_user_model().objects.get(username=who))
    unmeasured: list[str] = []
    kept = ROOT / "build" / f"scale-{appeals}.json"
    earlier_path = ROOT / "build" / f"scale-{compare}.json"
    earlier = json.loads(earlier_path.read_text()) if compare != appeals and earlier_path.exists() else {}
    growth = f" {'×time':>6} {'×rows':>6}" if earlier else ""
    print(
        f"{'page':<40} {'median ms':>9} {'p95 ms':>7} {'first ms':>8} {'queries':>7} {'rows read':>10} "
        f"{'status':>6}{growth}"
    )
    figures: dict[str, dict[str, float]] = {}
    for label, url, who in pages():
        if only and not any(word in label for word in only):
            continue
        client = clients[who]
        times = []
        for _ in range(1 + runs):
            cache.clear()
            process_cache.clear()
            connection.queries_log.clear()  # a full log (9,000) would make the capture below read 0 queries
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                if getattr(response, "streaming", False):
                    for _chunk in response.streaming_content:
                        pass
                times.append((time.perf_counter() - started) * 1000)
        # The first request of a page in this process also compiles its templates (once per server process, not
        # per edit) and counts a closed year's figures before they are kept (once per year): shown apart.
        first = times.pop(0)
        if response.status_code == 405:  # a POST-only address
            continue
        if response.status_code not in (200, 301, 302):
            unmeasured.append(f"{label} ({response.status_code})")
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows = sum(rows_read(connection, query["sql"]) for query in captured.captured_queries)
        median = statistics.median(times)
        figures[label] = {
            "median": median,
            "p95": p95,
            "first": first,
            "queries": len(captured.captured_queries),
            "rows": rows,
        }
        line = (
            f"{label[:40]:<40} {median:>9.1f} {p95:>7.1f} {first:>8.1f} {len(captured.captured_queries):>7} "
            f"{rows:>10,} {response.status_code:>6}"
        )
        if label in earlier:
            before = earlier[label]
            line += f" {median / max(before['median'], 0.1):>6.2f} {rows / max(before['rows'], 1):>6.2f}"
        print(line, flush=True)
    kept.parent.mkdir(exist_ok=True)
    if only and kept.exists():  # a partial run updates its pages' figures, the others stay
        figures = json.loads(kept.read_text()) | figures
    kept.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    if earlier:
        print(f"(×time, ×rows: this run's median time and rows read over those at {compare:,} appeals)")
        print_growth(figures, earlier)
    return unmeasured


def print_growth(figures: dict[str, dict[str, float]], earlier: dict[str, dict[str, float]]) -> None:
    """The growth of each page's time beyond the machine's own drift between the two runs: a shared machine is
    faster or slower from one hour to the next, and the pages whose rows read did not change (within 10%) show by
    how much; a page's ×time over that drift is what the data's size did to it. Goal: at most 1.5."""
    both = [label for label in figures if label in earlier]
    steady = [
        label
        for label in both
        if abs(figures[label]["rows"] - earlier[label]["rows"]) <= 0.1 * max(earlier[label]["rows"], 1)
    ]
    if len(steady) < 5:
        return
    drift = statistics.median(figures[label]["median"] / max(earlier[label]["median"], 0.1) for label in steady)
    print(f"the machine's drift between the runs: ×{drift:.2f} (median ×time of the {len(steady)} pages whose rows")
    print("read did not change); pages whose ×time over it is above 1.5:")
    over = [
        (figures[label]["median"] / max(earlier[label]["median"], 0.1) / drift, label)
        for label in both
        if figures[label]["median"] / max(earlier[label]["median"], 0.1) / drift > 1.5
    ]
    for growth, label in sorted(over, reverse=True):
        print(f"    {label[:40]:<40} ×{growth:.2f}")
    if not over:
        print("    none")


def rows_read(connection, sql: str) -> int:
    """Rows the scans of one query touched: returned plus removed by a filter, times the loops."""
    if not sql.lstrip().upper().startswith("SELECT"):
        return 0
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        except Exception:  # a query Django ran with parameters it quoted its own way: not counted
            connection.rollback() if not connection.in_atomic_block else None
            return 0
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    total = 0

    def walk(node: dict) -> None:
        nonlocal total
        if node.get("Node Type") in SCANS and node.get("Node Type") != "Bitmap Index Scan":
            loops = node.get("Actual Loops", 1)
            total += int((node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops)
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return total


if __name__ == "__main__":
    main()
