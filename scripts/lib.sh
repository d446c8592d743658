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
