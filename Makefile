# The everyday commands. The logic lives in scripts/*.sh; `make help` lists the targets.
# A newcomer needs two: `make run` (the portal with demo data) and `make test` (every check CI runs).

PY := .venv/bin/python

.DEFAULT_GOAL := help
.PHONY: help run test setup lint format migrations-check messages bench worker beat

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

run: ## Set up and serve the demo at http://127.0.0.1:8000/ (SQLite, tasks in-process)
	bash scripts/run.sh

test: ## Set up and run every check: ruff, import contracts, mypy, migrations, pytest on PostgreSQL (what CI runs)
	bash scripts/test.sh $(PYTEST_ARGS)

setup: ## Install system packages, .venv and the project (add --test deps with `make setup TEST=1`)
	bash scripts/setup.sh $(if $(TEST),--test)

lint: setup ## ruff check, ruff format --check, the import contracts (lint-imports) and mypy
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy

format: setup ## Reformat the code and apply ruff's safe fixes
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

migrations-check: setup ## Fail when a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run

messages: setup ## Update the ru, kk and en catalogues in locale/
	mkdir -p locale
	$(PY) manage.py makemessages -l ru -l kk -l en --ignore=.venv --ignore=staticfiles --ignore=media

bench: ## Run benchmarks/*.py
	bash scripts/bench.sh

worker: setup ## Run a Celery worker (needs CELERY_BROKER_URL, as does the web process)
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) here and for the web process; without it tasks run in-process and no worker is needed." >&2; exit 1; }
	.venv/bin/celery -A config worker --loglevel=INFO

beat: setup ## Run Celery beat, the periodic-task scheduler (needs CELERY_BROKER_URL)
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0); see make worker." >&2; exit 1; }
	.venv/bin/celery -A config beat --loglevel=INFO
