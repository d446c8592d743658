# The portal's image. One image runs the web process (gunicorn), the Celery worker and beat:
# scripts/docker-entrypoint.sh picks by the first argument (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's libraries and fonts for the PDF reports; gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libpangocairo-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --user-group app
WORKDIR /app

# The dependencies first, so that a code change does not reinstall them. The project installs no package
# of its own (the apps run from /app); README.md is there because pyproject.toml names it.
COPY pyproject.toml README.md ./
RUN pip install . && rm -rf build ./*.egg-info

COPY --chown=app:app . .
# The media and static volumes take these directories' owner when docker creates them.
RUN mkdir -p media staticfiles && chown app:app /app media staticfiles
USER app

# The key below only lets the production settings load during the build; no secret goes into the image.
RUN if find . -name '*.po' -print -quit | grep -q .; then python manage.py compilemessages -v 0; fi \
    && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_ALLOWED_HOSTS=build.invalid python manage.py collectstatic --noinput -v 0

EXPOSE 8000
ENTRYPOINT ["bash", "scripts/docker-entrypoint.sh"]
CMD ["web"]
