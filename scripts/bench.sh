#!/usr/bin/env bash
# `make bench`: runs every benchmarks/*.py in turn with the project's Python; stops at the first failure.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
shopt -s nullglob
benchmarks=(benchmarks/*.py)
if [ "${#benchmarks[@]}" = 0 ]; then
    warn "no benchmarks/*.py yet; nothing to run"
    exit 0
fi
for bench in "${benchmarks[@]}"; do
    say "$bench"
    "$PY" "$bench"
done
