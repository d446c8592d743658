"""Each app registers its own open-data lists (core.open_api.register_list); the URL map names none of them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.api import router
from core.open_api import register_list
from councils.open_api import CouncilViewSet
from hearings.open_api import MeetingViewSet


def test_every_app_list_is_served_in_the_order_of_installed_apps():
    # The same lists, in the same order, as when config/api.py registered them by hand: the API root and the
    # OpenAPI schema do not change.
    assert [prefix for prefix, _viewset, _basename in router.registry] == [
        "councils",
        "bodies",
        "people",
        "state-bodies",
        "consultative-seats",
        "meetings",
        "hearings",
        "monitoring-events",
        "draft-reviews",
        "recommendations",
        "information-requests",
        "published-reports",
    ]


def test_a_prefix_claimed_by_two_lists_is_refused_and_a_repeat_is_harmless():
    register_list("councils", CouncilViewSet, basename="council")  # a module imported twice: no change
    with pytest.raises(ImproperlyConfigured):
        register_list("councils", MeetingViewSet, basename="meeting")
