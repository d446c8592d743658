import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# The start-up objects out of the garbage collector's way (core/heap.py): a full collection walked them all.
from core.heap import settle_heap  # noqa: E402 - after the application, which sets Django up

settle_heap()
