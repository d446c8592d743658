"""Each app registers its own open-data lists (core.open_api.register_list); the URL map names none of them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.api import router
from core.open_api import register_list
from councils.open_api import CouncilViewSet
from hearings.open_api import MeetingViewSet


def test_every_app_list_is_served_in_the_order_of_installed_apps():
    # The lists in the order of INSTALLED_APPS, each app's in the order it registers them.
    assert [prefix for prefix, _viewset, _basename in router.registry] == [
        "councils",
        "bodies",
        "people",
        "state-bodies",
        "consultative-seats",
        "work-plan-items",
        "memoranda",
        "meetings",
        "hearings",
        "monitoring-events",
        "draft-reviews",
        "recommendations",
        "information-requests",
        "library-documents",
        "news",
        "trainings",
        "receptions",
        "representative-bodies",
        "deputies",
        "mandates",
        "deputy-sessions",
        "deputy-votes",
        "organisations",
        "published-reports",
        "public-comments",
    ]


def test_a_prefix_claimed_by_two_lists_is_refused_and_a_repeat_is_harmless():
    register_list("councils", CouncilViewSet, basename="council")  # a module imported twice: no change
    with pytest.raises(ImproperlyConfigured):
        register_list("councils", MeetingViewSet, basename="meeting")
