"""The portal's settings plus the benchmark's URL map (benchmarks/http_pages.py): nothing else differs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.http_site.urls"
