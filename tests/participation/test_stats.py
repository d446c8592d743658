"""The year's participation counts in the stats API and the annual report, as of a day: a comment published or
answered after that day does not count for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from participation.models import HearingRegistration, PublicComment
from participation.selectors import participation_year_stats
from tests import factories as f

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def year_of_comments(personas):
    hearing = f.PublicHearingFactory(council=personas.council, date=dt.date(2019, 9, 20))
    draft = f.DraftActReviewFactory(council=personas.council)
    rows = [
        # (target, status, outcome, received, moderated, answered)
        (hearing, "published", "accepted", dt.date(2019, 9, 1), dt.date(2019, 9, 2), dt.date(2019, 9, 25)),
        (hearing, "published", "partly", dt.date(2019, 9, 3), dt.date(2019, 9, 4), dt.date(2019, 9, 25)),
        (draft, "published", "rejected", dt.date(2019, 3, 5), dt.date(2019, 3, 6), dt.date(2020, 1, 15)),
        (draft, "rejected", "", dt.date(2019, 3, 7), dt.date(2019, 3, 8), None),
        (hearing, "pending", "", dt.date(2019, 12, 30), None, None),
    ]
    for number, (target, status, outcome, received, moderated, answered) in enumerate(rows, 1):
        comment = PublicComment.objects.create(
            council=personas.council,
            hearing=target if target == hearing else None,
            draft=target if target == draft else None,
            number=number,
            author_name="Гражданин",
            email="c@example.kz",
            text="Замечание",
            status=status,
            outcome=outcome,
            answer="Причина" if outcome else "",
            rejection_reason="Оскорбления" if status == "rejected" else "",
        )
        PublicComment.objects.filter(pk=comment.pk).update(
            submitted_at=_at(received),
            moderated_at=_at(moderated) if moderated else None,
            answered_at=_at(answered) if answered else None,
        )
    registration = HearingRegistration.objects.create(hearing=hearing, name="Участник", email="u@example.kz", token="t")
    HearingRegistration.objects.filter(pk=registration.pk).update(created_at=_at(dt.date(2019, 9, 10)))
    return personas.council


def test_the_year_counts_as_of_its_last_day(year_of_comments):
    stats = participation_year_stats(council=year_of_comments, year=2019, as_of=dt.date(2019, 12, 31))

    assert stats.comments_received == 5
    assert stats.comments_published == 3
    assert (stats.comments_accepted, stats.comments_partly, stats.comments_rejected) == (1, 1, 0)  # answered in 2020
    assert stats.registrations == 1


def test_earlier_in_the_year_only_what_had_happened_counts(year_of_comments):
    stats = participation_year_stats(council=year_of_comments, year=2019, as_of=dt.date(2019, 9, 3))

    assert stats.comments_received == 4  # two in March, two in September; the December one not yet
    assert stats.comments_published == 2  # the one received on 3 September was moderated the next day
    assert (stats.comments_accepted, stats.comments_partly) == (0, 0)
    assert stats.registrations == 0


def test_the_stats_api_and_the_report_carry_the_counts(year_of_comments):
    from reports.rendering import render_html

    data = Client().get(f"/api/v1/councils/{year_of_comments.slug}/stats/", {"year": "2019"}).json()
    report = render_html(council=year_of_comments, year=2019, language="en")

    assert data["participation"] == {
        "comments_received": 5,
        "comments_published": 3,
        "comments_accepted": 1,
        "comments_partly": 1,
        "comments_rejected": 0,
        "registrations": 1,
    }
    assert "Public participation: comments and registrations" in report
    assert "received in 2019: 5; published after moderation: 3" in report
    assert "Registrations to attend public hearings: 1." in report
