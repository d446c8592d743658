#!/usr/bin/env bash
# `make run`: sets everything up and serves the portal at http://127.0.0.1:8000/ on the embedded defaults
# (SQLite next to the code, Celery tasks in-process, mail to the console).
#
# 1. Installs what is missing (scripts/setup.sh).
# 2. Compiles the translations, migrates the SQLite database, loads the Almaty 2019 demo (idempotent); a warm run
#    skips each of these when nothing changed (no .po newer than its .mo, no pending migration, the same demo).
# 3. Creates the demo superuser `admin` when there is no superuser at all.
# 4. Runs the development server on 127.0.0.1:8000.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The embedded defaults, whatever the calling shell exports: a stray DATABASE_URL or broker would
# silently point the demo somewhere else.
unset DATABASE_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND CACHE_URL

# Demo only: this password guards a local SQLite copy on 127.0.0.1; never reuse it anywhere else.
demo_password="${DEMO_ADMIN_PASSWORD:-oversight-demo}"

bash "$ROOT/scripts/setup.sh"
cd "$ROOT"
# A warm run skips what has nothing to do (scripts/lib.sh): each step says whether it ran.
if translations_stale; then
    compile_messages
else
    say "Translations are compiled and unchanged; skipping compilemessages"
fi

if migrations_pending; then
    say "Migrating the SQLite database"
    "$PY" manage.py migrate --noinput -v 0
else
    say "The database has every migration; skipping migrate"
fi

if demo_current; then
    say "The Almaty 2019 demo is loaded and unchanged; skipping load_demo"
elif "$PY" manage.py help --commands | grep -qx load_demo; then
    say "Loading the Almaty 2019 demo"
    "$PY" manage.py load_demo
    # The demo Aarhus centre (library, consultations, trainings): demo/zhaik_caspian_2019.json.
    say "Loading the demo Aarhus centre"
    "$PY" manage.py load_demo_aarhus
    demo_recorded
else
    warn "manage.py load_demo does not exist yet; the portal starts without demo data"
fi

# The deputies demo (Pavlodar city maslikhat, invented names): running it again changes nothing.
say "Loading the deputies demo (Pavlodar)"
"$PY" manage.py load_deputies_demo

# The Almaty demo's receptions of citizens are dated around today (receptions/demo.py): a new schedule once the
# last one has passed, nothing otherwise.
say "Adding the Almaty demo's receptions of citizens"
"$PY" manage.py load_demo_receptions

has_superuser="$("$PY" manage.py shell -v 0 -c \
    'from django.contrib.auth import get_user_model; print(get_user_model().objects.filter(is_superuser=True).exists())')"
if [ "$has_superuser" = False ]; then
    say "Creating the demo superuser"
    DJANGO_SUPERUSER_PASSWORD="$demo_password" "$PY" manage.py createsuperuser --noinput \
        --username admin --email admin@oversight.local -v 0
    cat <<MSG

  ************************************************************************
  *  DEMO ONLY - local use on this machine                               *
  *  Admin login:  http://127.0.0.1:8000/ru/admin/                       *
  *  username:     admin                                                 *
  *  password:     $(printf '%-54s' "$demo_password")*
  ************************************************************************

MSG
else
    say "A superuser exists already; it is kept as it is (the demo login is admin / $demo_password" \
        "only if make run created it)"
fi

say "Serving http://127.0.0.1:8000/ (Ctrl+C stops it)"
exec "$PY" manage.py runserver 127.0.0.1:8000
