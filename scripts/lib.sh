# Shared helpers for the scripts in this directory; source it, do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

# Colours only on a terminal, so CI logs stay plain.
if [ -t 2 ]; then
    _blue=$'\033[1;34m' _yellow=$'\033[1;33m' _red=$'\033[1;31m' _off=$'\033[0m'
else
    _blue="" _yellow="" _red="" _off=""
fi
say() { printf '%s==>%s %s\n' "$_blue" "$_off" "$*"; }
warn() { printf '%swarning:%s %s\n' "$_yellow" "$_off" "$*" >&2; }
die() {
    printf '%serror:%s %s\n' "$_red" "$_off" "$*" >&2
    exit 1
}

# Compile the .po catalogues when there are any: compilemessages refuses to run in a tree without a locale
# directory, and the catalogues may not have been written yet.
compile_messages() {
    if find "$ROOT" -path "$VENV" -prune -o -name '*.po' -print -quit | grep -q .; then
        say "Compiling translations"
        (cd "$ROOT" && "$PY" manage.py compilemessages --ignore=.venv -v 0)
    else
        warn "no .po catalogues found; skipping compilemessages"
    fi
}

# --- What a warm `make run` may skip (each check is cheaper than the step it spares) --------------------------

# True when some .po catalogue has no .mo yet or was edited after its .mo was compiled.
translations_stale() {
    local po mo
    while IFS= read -r po; do
        mo="${po%.po}.mo"
        if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
            return 0
        fi
    done < <(find "$ROOT" \( -path "$VENV" -o -path "$ROOT/.cache" -o -path "$ROOT/.git" \) -prune -o -name '*.po' -print)
    return 1
}

# True when the database lacks a migration (`migrate --check` exits non-zero; any other failure also says
# "migrate", which then shows the error).
migrations_pending() {
    ! (cd "$ROOT" && "$PY" manage.py migrate --check --noinput -v 0 >/dev/null 2>&1)
}

# The demo as loaded: its data and the command that loads it. The stamp alone is not enough: a deleted and
# recreated db.sqlite3 has lost the demo, so its council must also be in the database (read with Python's own
# sqlite3, without starting Django).
demo_fingerprint() {
    cat "$ROOT"/demo/*.json "$ROOT/interchange/management/commands/load_demo.py" \
        "$ROOT/outreach/management/commands/load_demo_aarhus.py" 2>/dev/null | sha256sum | cut -d' ' -f1
}
demo_stamp() { printf '%s\n' "$VENV/.demo.sha256"; }
demo_in_database() {
    "$PY" - "$ROOT/db.sqlite3" <<'PYTHON' 2>/dev/null
import pathlib, sqlite3, sys
path = pathlib.Path(sys.argv[1])
if not path.exists():
    sys.exit(1)
with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
    sys.exit(0 if db.execute("SELECT 1 FROM councils_council WHERE slug = 'almaty'").fetchone() else 1)
PYTHON
}
demo_current() {
    [ -f "$(demo_stamp)" ] && [ "$(cat "$(demo_stamp)")" = "$(demo_fingerprint)" ] && demo_in_database
}
demo_recorded() { mkdir -p "$VENV" && demo_fingerprint >"$(demo_stamp)"; }
