"""A public meeting page links "Recommendations on this item" only under the items the tracker has
recommendations on: under every item it led to an empty list most of the time."""

from __future__ import annotations

import pytest
from django.test import Client

from monitoring.models import RecommendationStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_meeting_page_links_recommendations_only_for_items_that_have_some(personas):
    meeting = f.MeetingFactory(council=personas.council, is_open=True)
    with_one = f.AgendaItemFactory(meeting=meeting, title="О благоустройстве скверов")
    without = f.AgendaItemFactory(meeting=meeting, title="О плане работы")
    only_a_draft = f.AgendaItemFactory(meeting=meeting, title="О тарифах")
    f.RecommendationFactory(council=personas.council, source=with_one)
    f.RecommendationFactory(council=personas.council, source=only_a_draft, status=RecommendationStatus.DRAFT)

    html = Client().get(f"/ru/councils/almaty/meetings/{meeting.pk}/").content.decode()

    assert f"?source=agenda_item:{with_one.pk}" in html
    assert f"?source=agenda_item:{without.pk}" not in html
    assert f"?source=agenda_item:{only_a_draft.pk}" not in html  # a draft is not on the public tracker
    assert html.count("Рекомендации по этому вопросу") == 1
