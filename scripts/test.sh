#!/usr/bin/env bash
# `make test` (and CI through .ci/run): sets up what the suite needs and runs every check.
# Extra arguments go to pytest: scripts/test.sh -k appeals -x
#
# 1. Installs what is missing (scripts/setup.sh --test) and starts PostgreSQL and Redis when they are down.
# 2. Compiles the translations.
# 3. Lint: ruff check and ruff format --check; the README's dependency rule (lint-imports, contracts in
#    pyproject.toml); types (mypy with django-stubs: strict on core/ and every services.py and selectors.py).
# 4. No model change without its migration (makemigrations --check).
# 5. pytest against PostgreSQL, in parallel (pytest-xdist: a test database per worker), Celery tasks in-process
#    (the tests that prove the real worker path set their own broker). Collecting no tests is a failure.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$ROOT/scripts/setup.sh" --test
bash "$ROOT/scripts/ensure-services.sh"
cd "$ROOT"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/oversight"
unset CELERY_BROKER_URL CELERY_RESULT_BACKEND CACHE_URL DJANGO_DEBUG

compile_messages

say "ruff check"
"$VENV/bin/ruff" check .
say "ruff format --check"
"$VENV/bin/ruff" format --check .
say "lint-imports"
"$VENV/bin/lint-imports"
say "mypy"
"$VENV/bin/mypy"

say "makemigrations --check"
"$PY" manage.py makemigrations --check --dry-run

say "pytest"
status=0
# --maxschedchunk 1: pytest-xdist hands each worker a test or two at a time, not a quarter of what is left, so
# the minute-long tests (run first, tests/conftest.py) go to whichever worker is free; in chunks, one worker got
# them all and ran six minutes after the other had finished.
"$PY" -m pytest -n "${PYTEST_WORKERS:-auto}" --maxschedchunk 1 "$@" || status=$?
if [ "$status" = 5 ]; then
    die "pytest collected no tests"
fi
exit "$status"
