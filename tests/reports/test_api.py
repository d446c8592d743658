"""GET /api/v1/councils/<slug>/stats/?year=YYYY: the public figures of a council's year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from appeals.models import Category, Channel
from hearings.models import MeetingKind
from monitoring.models import RecommendationStatus
from tests.factories import (
    AppealFactory,
    ConvocationFactory,
    CouncilFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def _url(slug: str) -> str:
    return f"/api/v1/councils/{slug}/stats/"


@pytest.fixture
def council():
    council = CouncilFactory(slug="almaty", code="ALM")
    convocation = ConvocationFactory(council=council, start_date=dt.date(2019, 3, 1))
    MembershipFactory.create_batch(2, convocation=convocation)
    MeetingFactory(council=council, kind=MeetingKind.COUNCIL)
    AppealFactory(council=council)
    return council


def test_stats_has_every_documented_figure(council):
    response = Client().get(_url("almaty"), {"year": "2019"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["council"] == "almaty"
    assert data["year"] == 2019
    assert set(data["members"]) >= {"total", "state_body", "civil_society"}
    assert isinstance(data["commissions"], int)
    assert set(data["meetings"]) == {"council", "presidium", "commission", "round_table", "seminar", "working"}
    assert isinstance(data["hearings"], int)
    assert set(data["monitoring"]) == {"total", "by_month"}
    assert list(data["monitoring"]["by_month"]) == [str(m) for m in range(1, 13)]
    assert set(data["draft_acts"]) >= {"reviewed", "approved", "with_remarks", "rejected"}
    appeals = data["appeals"]
    assert set(appeals) >= {
        "total",
        "individuals",
        "legal_entities",
        "by_category",
        "individuals_by_category",
        "by_channel",
        "by_month",
    }
    assert set(appeals["by_category"]) == set(Category.values)
    assert set(appeals["individuals_by_category"]) == set(Category.values)
    assert set(appeals["by_channel"]) == set(Channel.values)
    assert list(appeals["by_month"]) == [str(m) for m in range(1, 13)]
    assert set(data["recommendations"]) >= {"total", "answered", "overdue", "by_status"}
    assert set(data["recommendations"]["by_status"]) == set(RecommendationStatus.values)
    assert isinstance(data["memoranda"], int)
    assert data["members"]["total"] == 2
    assert data["meetings"]["council"] == 1
    assert data["appeals"]["total"] == 1


def test_stats_give_no_personal_data(council):
    person = PersonFactory(council=council, email="secret.member@example.kz", phone="+7 777 123 45 67")
    MembershipFactory(convocation=council.convocations.get(), person=person)
    AppealFactory(council=council, applicant_name="Тайный Заявитель", email="citizen@example.kz")

    body = Client().get(_url("almaty"), {"year": "2019"}).content.decode()

    for secret in ("secret.member@example.kz", "+7 777 123 45 67", "Тайный Заявитель", "citizen@example.kz"):
        assert secret not in body


def test_unknown_council_gives_404():
    assert Client().get(_url("nowhere"), {"year": "2019"}).status_code == 404


def test_unpublished_council_gives_404():
    CouncilFactory(slug="hidden", is_published=False)

    assert Client().get(_url("hidden"), {"year": "2019"}).status_code == 404


@pytest.mark.parametrize(
    "query", [{}, {"year": ""}, {"year": "abc"}, {"year": "19"}, {"year": "1800"}, {"year": "٢٠١٩"}]
)
def test_missing_or_bad_year_gives_400_with_a_message(council, query):
    response = Client().get(_url("almaty"), query)

    assert response.status_code == 400
    assert response.json()["year"][0]


def test_the_400_message_is_in_russian_by_default_and_follows_the_language(council):
    russian = Client().get(_url("almaty"), {"year": "abc"}).json()["year"][0]
    kazakh = Client(headers={"accept-language": "kk"}).get(_url("almaty"), {"year": "abc"}).json()["year"][0]
    english = Client(headers={"accept-language": "en"}).get(_url("almaty"), {"year": "abc"}).json()["year"][0]

    assert "год" in russian.lower()
    assert "жыл" in kazakh.lower()
    assert english == "The year must be four digits, e.g. ?year=2019."


def test_stats_is_read_only(council):
    assert Client().post(_url("almaty"), {"year": "2019"}).status_code == 405


def test_figures_are_served_from_the_cache_until_the_council_changes(council, django_assert_max_num_queries):
    client = Client()
    first = client.get(_url("almaty"), {"year": "2019"}).json()
    with django_assert_max_num_queries(1):  # the council's lookup; the figures come from the cache
        assert client.get(_url("almaty"), {"year": "2019"}).json() == first
    MeetingFactory(council=council, kind=MeetingKind.PRESIDIUM, date=dt.date(2019, 6, 1))  # an edit: new version
    after = client.get(_url("almaty"), {"year": "2019"}).json()
    assert after["meetings"]["presidium"] == first["meetings"]["presidium"] + 1
