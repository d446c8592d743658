"""Draft-act reviews in the workspace: the legal minimum of public discussion (a setting, 10 calendar days by
default, both ends counted) is refused beside the field, with what was typed kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from monitoring.models import DraftActReview, DraftConclusion
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


def _post(**overrides) -> dict:
    data = {
        "title": "Проект постановления акимата «О правилах благоустройства»",
        "developer": "",
        "discussion_start": "2019-03-01",
        "discussion_end": "2019-03-10",
        "conclusion": DraftConclusion.APPROVED,
        "remarks": "",
    }
    data.update(overrides)
    return data


def _add_url() -> str:
    return reverse("monitoring_ws:draft_add", kwargs={"slug": "almaty"})


def test_ten_calendar_days_both_ends_counted_is_enough(personas, secretary):
    developer = f.StateBodyFactory(name="Управление городского планирования")
    response = secretary.post(_add_url(), _post(developer=str(developer.pk)))
    assert response.status_code == 302
    review = DraftActReview.objects.get(council=personas.council)
    assert (review.discussion_start, review.discussion_end, review.developer) == (
        dt.date(2019, 3, 1),
        dt.date(2019, 3, 10),
        developer,
    )


def test_nine_days_is_refused_beside_the_end_date_with_the_earliest_end(personas, secretary):
    response = secretary.post(_add_url(), _post(discussion_end="2019-03-09", title="Короткое обсуждение"))
    assert response.status_code == 400
    errors = response.context["form"].errors["discussion_end"]
    assert any("10.03.2019" in str(e) for e in errors)  # the earliest lawful end date is named
    assert response.context["form"]["title"].value() == "Короткое обсуждение"
    assert not DraftActReview.objects.exists()


def test_the_minimum_is_a_setting(personas, secretary, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "DRAFT_REVIEW_MIN_DAYS": 15}
    response = secretary.post(_add_url(), _post(discussion_end="2019-03-14"))
    assert response.status_code == 400
    assert "discussion_end" in response.context["form"].errors
    response = secretary.post(_add_url(), _post(discussion_end="2019-03-15"))
    assert response.status_code == 302


def test_an_end_before_the_start_is_said_plainly(personas, secretary):
    response = secretary.post(_add_url(), _post(discussion_start="2019-03-10", discussion_end="2019-03-01"))
    assert response.status_code == 400
    assert response.context["form"].errors["discussion_end"]


def test_the_service_refuses_a_short_period_whoever_calls_it(personas):
    from django.core.exceptions import ValidationError

    from monitoring.event_services import DraftReviewData, draft_review_create

    with pytest.raises(ValidationError) as caught:
        draft_review_create(
            council=personas.council,
            data=DraftReviewData(
                title="Проект", discussion_start=dt.date(2019, 3, 1), discussion_end=dt.date(2019, 3, 5)
            ),
        )
    assert "discussion_end" in caught.value.error_dict


def test_approved_with_remarks_needs_the_remarks(personas, secretary):
    response = secretary.post(_add_url(), _post(conclusion=DraftConclusion.APPROVED_WITH_REMARKS))
    assert response.status_code == 400
    assert response.context["form"].errors["remarks"]


def test_an_old_short_review_can_still_get_its_conclusion(personas, secretary):
    review = f.DraftActReviewFactory(
        council=personas.council,
        discussion_start=dt.date(2018, 3, 1),
        discussion_end=dt.date(2018, 3, 5),
        conclusion="",
    )
    url = reverse("monitoring_ws:draft_edit", kwargs={"slug": "almaty", "pk": review.pk})
    response = secretary.post(url, _post(discussion_start="2018-03-01", discussion_end="2018-03-05"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.conclusion == DraftConclusion.APPROVED
    # Moving its dates is a new period, which must be lawful.
    response = secretary.post(url, _post(discussion_start="2018-03-02", discussion_end="2018-03-06"))
    assert response.status_code == 400


def test_draft_list_filters_and_marks_short_discussions(personas, secretary):
    f.DraftActReviewFactory(council=personas.council, title="Первый", conclusion=DraftConclusion.APPROVED)
    f.DraftActReviewFactory(
        council=personas.council,
        title="Второй",
        conclusion=DraftConclusion.APPROVED_WITH_REMARKS,
        remarks="Уточнить",
        discussion_start=dt.date(2019, 5, 1),
        discussion_end=dt.date(2019, 5, 5),
    )
    f.DraftActReviewFactory(council=personas.other_council, title="Чужой")
    url = reverse("monitoring_ws:drafts", kwargs={"slug": "almaty"})
    page = secretary.get(url)
    assert sorted(r.title for r in page.context["object_list"]) == ["Второй", "Первый"]
    short = {r.title: r.too_short for r in page.context["object_list"]}
    assert short == {"Первый": False, "Второй": True}
    filtered = secretary.get(url, {"conclusion": DraftConclusion.APPROVED_WITH_REMARKS})
    assert [r.title for r in filtered.context["object_list"]] == ["Второй"]


def test_a_member_may_not_record_a_review(personas):
    member = personas.client_for(personas.member)
    assert member.get(_add_url()).status_code == 403
    assert member.post(_add_url(), _post()).status_code == 403
    assert not DraftActReview.objects.exists()
