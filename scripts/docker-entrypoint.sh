#!/usr/bin/env bash
# The container's entrypoint (Dockerfile); the first argument names the process:
#   web     apply the migrations, collect the static files into the static volume, then serve with gunicorn
#   worker  the Celery worker
#   beat    the Celery beat scheduler
#   other   run as given, e.g. `docker-compose run --rm web python manage.py createsuperuser`
# Only `web` migrates, so two processes never race on the schema; worker and beat wait until web is
# healthy (docker-compose.yml).
set -euo pipefail

case "${1:-web}" in
    web)
        python manage.py migrate --noinput
        python manage.py collectstatic --noinput -v 0
        # Sync workers behind the buffering proxy (the proxy service); WEB_CONCURRENCY sets how many.
        exec gunicorn --config deploy/gunicorn.conf.py config.wsgi
        ;;
    worker)
        exec celery -A config worker --loglevel=INFO
        ;;
    beat)
        # The schedule state is a scratch file: the schedule itself lives in the code.
        exec celery -A config beat --loglevel=INFO --schedule=/tmp/celerybeat-schedule
        ;;
    *)
        exec "$@"
        ;;
esac
