"""A web process's heap, settled once the portal has loaded: its start-up objects taken out of the collector's way.

CPython's cyclic garbage collector walks every object it tracks on a full collection, and a full collection comes
every few requests (the thresholds count allocations). A portal process tracks some 220,000 objects once its URL
map and a first page are loaded — the modules, the models, the URL map, the views, the forms — and they live as
long as the process. A full collection walked them all: 120 ms on session 10's 2-core machine, paid by whichever
request it fell on (the spikes of `benchmarks/scale.py`'s p95, an inbox page at 50 ms median once at 176 ms).

`gc.freeze()` (Python 3.7) moves every object tracked at that moment into a permanent generation no collection
walks; a full collection then took 1.2 ms. Garbage made later is collected as before: only what exists at the
freeze is exempt, so it is called once the process has loaded what it keeps for life (Instagram's "Dismissing
Python Garbage Collection at Instagram" and the Python documentation's note on `gc.freeze` describe the same use).
"""

from __future__ import annotations

import gc


def settle_heap() -> int:
    """Load what every request uses and keeps — the URL map with every view and form it imports, each language's
    translation catalogue — collect what is garbage already, then freeze the rest. Returns how many objects were
    frozen. Called by config/wsgi.py and config/asgi.py once the application is made (in each gunicorn worker)
    and by config/celery.py in each worker process."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - the property imports every URLconf, and with them the views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Russian")  # loads the catalogue
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
