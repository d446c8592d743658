#!/usr/bin/env bash
# Lighthouse on the public pages a citizen sees first (run by hand; prints figures, leaves nothing behind but the
# reports). Not part of `make test`: a score depends on the machine's load, so it is a benchmark, not a check.
#
#     bash benchmarks/lighthouse.sh [--keep]          (LIGHTHOUSE_RUNS=3: runs per page, the median is kept)
#
# 1. Installs npm `lighthouse` (12.x, the last major that runs on Node.js 20) into .cache/node when it is missing.
# 2. Serves the portal as in production: gunicorn, DEBUG off, the static files collected with whitenoise's
#    CompressedManifestStaticFilesStorage (hashed names, gzip/brotli, a year's Cache-Control), with the Almaty 2019
#    demo loaded into a throwaway SQLite database in a temporary directory, on a free port of 127.0.0.1.
# 3. Runs Lighthouse in its default mobile mode (a Moto G Power on slow 4G, simulated throttling) in Debian's
#    chromium (CHROME_PATH=/usr/bin/chromium, never a downloaded browser) on the home page, a council page and the
#    appeal form, LIGHTHOUSE_RUNS times each (3), and keeps each page's median run by performance, as Lighthouse's
#    documentation advises against its run-to-run variance. It prints each page's performance, accessibility, best
#    practices and SEO scores (goal: ≥ 95 each), the audits that failed, Lighthouse's own CPU benchmark index of
#    the run and the load average: Lighthouse simulates a phone's CPU from the timings it observes, so a busy
#    machine (a low benchmark index) lowers the performance score.
# 4. Stops gunicorn and removes the temporary directory. The HTML and JSON reports stay in build/lighthouse/.
#
# --keep: keep the temporary directory (database, collected static files, gunicorn's log) and say where it is.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

keep=0
[ "${1:-}" = "--keep" ] && keep=1

PAGES=(
    "home /ru/"
    "council /ru/councils/almaty/"
    "appeal-form /ru/councils/almaty/appeals/new/"
)
GOAL=95
RUNS="${LIGHTHOUSE_RUNS:-3}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$CHROME_PATH" ] || die "no chromium at $CHROME_PATH (apt-get install chromium, or set CHROME_PATH)"
command -v node >/dev/null || die "Node.js is missing (scripts/setup.sh installs it)"

lighthouse="$ROOT/.cache/node/node_modules/.bin/lighthouse"
if [ ! -x "$lighthouse" ]; then
    say "Installing lighthouse@12 into .cache/node"
    npm install --silent --no-audit --no-fund --prefix "$ROOT/.cache/node" lighthouse@12 >/dev/null
fi

work="$(mktemp -d -t oversight-lighthouse-XXXXXX)"
reports="$ROOT/build/lighthouse"
mkdir -p "$reports"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$keep" = 1 ]; then
        say "Kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# Production settings, safe for a bench: built from scratch so that a stray DATABASE_URL, broker, cache or mail
# setting of the calling shell changes nothing.
run_env=(
    env -i "PATH=$PATH" "HOME=$HOME" "LANG=${LANG:-C.UTF-8}"
    DJANGO_SETTINGS_MODULE=config.settings
    DJANGO_DEBUG=0
    "DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
    DJANGO_ALLOWED_HOSTS=127.0.0.1
    DJANGO_SECURE_SSL_REDIRECT=0
    "SITE_URL=$base"
    "DATABASE_URL=sqlite:///$work/db.sqlite3"
    "DJANGO_STATIC_ROOT=$work/static"
    "DJANGO_MEDIA_ROOT=$work/media"
    EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
    DJANGO_LOG_LEVEL=WARNING
    PYTHONUNBUFFERED=1
)

say "Preparing the demo in $work (migrate, collectstatic, load_demo)"
compile_messages
"${run_env[@]}" "$PY" manage.py migrate --noinput -v 0
"${run_env[@]}" "$PY" manage.py collectstatic --noinput -v 0
"${run_env[@]}" "$PY" manage.py load_demo -v 0 >/dev/null

"${run_env[@]}" "$VENV/bin/gunicorn" config.wsgi -b "127.0.0.1:$port" -w 2 --log-level warning \
    >"$work/gunicorn.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    curl -fs -o /dev/null "$base/healthz" && break
    kill -0 "$server_pid" 2>/dev/null || die "gunicorn exited: $(tail -5 "$work/gunicorn.log")"
    sleep 0.3
done
curl -fs -o /dev/null "$base/healthz" || die "gunicorn did not start: $(tail -5 "$work/gunicorn.log")"

say "gunicorn (2 workers, DEBUG off) on $base; Lighthouse $("$lighthouse" --version), mobile, in $CHROME_PATH"
for page in "${PAGES[@]}"; do
    read -r name path <<<"$page"
    # A page a visitor opens has been seen before: each worker's in-process page cache is filled first.
    for _ in 1 2 3 4 5 6; do
        curl -fs -o /dev/null "$base$path" || die "$path does not answer 200"
    done
    for run in $(seq "$RUNS"); do
        # Lighthouse writes its progress to stderr; only a failure's is worth showing. On a starved CPU it may
        # lose the trace ("NO_NAVSTART ... Please run Lighthouse again"): a run is tried up to three times.
        for attempt in 1 2 3; do
            if "$lighthouse" "$base$path" --quiet --form-factor=mobile \
                --only-categories=performance,accessibility,best-practices,seo \
                --chrome-flags="--headless=new --no-sandbox" \
                --output=json --output=html --output-path="$work/$name-$run" 2>"$work/lighthouse-$name.log"; then
                break
            fi
            tail -3 "$work/lighthouse-$name.log" >&2
            [ "$attempt" = 3 ] && die "Lighthouse failed three times on $path"
            warn "Lighthouse failed on $path; trying again"
        done
        printf '  %-12s %s  run %s of %s  (load average %s)\n' "$name" "$path" "$run" "$RUNS" \
            "$(cut -d' ' -f1-3 /proc/loadavg)"
    done
    # The median run by performance score, its JSON and HTML reports kept in build/lighthouse/.
    median="$("$PY" -c '
import json, sys
runs = sorted(sys.argv[1:], key=lambda p: json.load(open(p + ".report.json"))["categories"]["performance"]["score"])
print(runs[len(runs) // 2])' $(for run in $(seq "$RUNS"); do echo "$work/$name-$run"; done))"
    cp "$median.report.json" "$reports/$name.report.json"
    cp "$median.report.html" "$reports/$name.report.html"
done

# The table and the failing audits, from the JSON reports.
status=0
if "$PY" - "$reports" "$GOAL" "${PAGES[@]}" <<'PYTHON'
import json
import sys
from pathlib import Path

reports, goal, pages = Path(sys.argv[1]), int(sys.argv[2]), [p.split() for p in sys.argv[3:]]
categories = ["performance", "accessibility", "best-practices", "seo"]
print()
print(f"{'page':<13}" + "".join(f"{c:>16}" for c in categories) + "   verdict")
missed = 0
failing = {}
for name, path in pages:
    report = json.loads((reports / f"{name}.report.json").read_text())
    scores = [round(report["categories"][c]["score"] * 100) for c in categories]
    low = [c for c, s in zip(categories, scores) if s < goal]
    missed += bool(low)
    verdict = "ok" if not low else "below " + str(goal) + ": " + ", ".join(low)
    print(f"{name:<13}" + "".join(f"{s:>16}" for s in scores) + f"   {verdict}")
    audits = report["audits"]
    for category in categories:
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                failing.setdefault(name, []).append(f"{category}: {audit['title']}{value}")
metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")
print()
for name, _path in pages:
    report = json.loads((reports / f"{name}.report.json").read_text())
    figures = ", ".join(f"{m.replace('-', ' ')} {report['audits'][m]['displayValue']}" for m in metrics)
    index = report["environment"]["benchmarkIndex"]
    print(f"  {name}: {figures}; CPU benchmark index {index:.0f}")
    for line in failing.get(name, []):
        print(f"    failed: {line}")
print(f"\nreports: {reports}/<page>.report.html")
sys.exit(1 if missed else 0)
PYTHON
then :; else status=$?; fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min; $(nproc) cores)"
exit $status
