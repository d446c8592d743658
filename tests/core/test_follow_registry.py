"""The registry of what can be followed (core/follow.py): each app adds its kinds; a clash is a configuration
error, not one kind silently hiding another; a model nobody registered cannot be followed."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured

from alerts.services import follow_subscribe
from core.follow import followable, followables, register_followable
from tests import factories as f


def test_every_app_registered_its_kinds():
    assert set(followables()) == {"recommendation", "hearing", "draft_review", "information_request", "state_body"}
    assert followable("state_body").model_label == "councils.StateBody"


def test_registering_the_same_kind_again_changes_nothing():
    kind = followable("hearing")

    register_followable(kind)

    assert followables()["hearing"] is kind


def test_two_kinds_with_one_name_or_one_address_are_refused():
    with pytest.raises(ImproperlyConfigured):
        register_followable(dataclasses.replace(followable("hearing"), model_label="monitoring.MonitoringEvent"))
    with pytest.raises(ImproperlyConfigured):
        register_followable(dataclasses.replace(followable("hearing"), key="another", model_label="x.Y"))
    assert "another" not in followables()


@pytest.mark.django_db
def test_a_model_nobody_registered_cannot_be_followed():
    with pytest.raises(ValueError):
        follow_subscribe(email="a@example.kz", item=f.MonitoringEventFactory(), language="ru")
