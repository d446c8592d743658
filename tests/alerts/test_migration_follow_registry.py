"""alerts 0004: the four foreign keys of a follow become its registered kind and id, and nobody who followed an
item before the change loses it (nor gets a second confirmation)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alerts.models import Subscription
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.heavy]

BEFORE = [("alerts", "0003_follow_one_item")]
AFTER = [("alerts", "0004_follow_registry")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_follows_keep_their_item_and_confirmation():
    recommendation = f.RecommendationFactory()
    hearing = f.PublicHearingFactory(council=recommendation.council)
    council = recommendation.council
    try:
        old = _migrate(BEFORE).get_model("alerts", "Subscription")
        old.objects.create(email="a@example.kz", council_id=council.pk, recommendation_id=recommendation.pk, token="a")
        old.objects.create(
            email="b@example.kz", council_id=council.pk, hearing_id=hearing.pk, token="b", cursor={"x": 1}
        )
        old.objects.create(email="c@example.kz", council_id=council.pk, token="c", frequency="daily")

        _migrate(AFTER)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    rows = {s.email: s for s in Subscription.objects.all()}
    assert rows["a@example.kz"].item == recommendation
    assert (rows["b@example.kz"].item, rows["b@example.kz"].cursor) == (hearing, {"x": 1})
    assert rows["c@example.kz"].item is None and rows["c@example.kz"].item_kind == ""
