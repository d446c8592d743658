from __future__ import annotations

import pytest
from django.core.cache import cache

from .world import DeputiesWorld, build


@pytest.fixture
def dw(db) -> DeputiesWorld:
    cache.clear()
    return build()
