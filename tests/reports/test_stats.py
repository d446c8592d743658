"""The figures of a council's year, computed once in `council_year_stats`, follow the counting rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.models import ApplicantType, Category, Channel
from councils.models import Affiliation, BodyKind, MemberRole
from hearings.models import MeetingAttendance, MeetingKind
from monitoring.models import DraftConclusion, RecommendationStatus
from reports.selectors import council_headlines, council_year_stats, council_years
from tests.factories import (
    AppealFactory,
    BodyFactory,
    ConvocationFactory,
    CouncilFactory,
    DraftActReviewFactory,
    ExpertAppointmentFactory,
    MeetingFactory,
    MembershipFactory,
    MemorandumFactory,
    MonitoringEventFactory,
    PublicHearingFactory,
    RecommendationFactory,
    RecommendationResponseFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2020, 3, 1)


@pytest.fixture
def council():
    return CouncilFactory(slug="almaty", code="ALM")


@pytest.fixture
def convocation(council):
    return ConvocationFactory(council=council, number=2, name="II состав", start_date=dt.date(2019, 3, 1))


def test_members_are_counted_on_31_december_without_experts_or_those_who_left(council, convocation):
    MembershipFactory.create_batch(3, convocation=convocation, affiliation=Affiliation.STATE_BODY)
    MembershipFactory.create_batch(5, convocation=convocation, affiliation=Affiliation.CIVIL_SOCIETY)
    MembershipFactory(convocation=convocation, role=MemberRole.CHAIR)
    ExpertAppointmentFactory(council=convocation.council)
    MembershipFactory(convocation=convocation, end_date=dt.date(2019, 11, 30))  # left before the year end
    MembershipFactory(convocation=convocation, end_date=dt.date(2019, 12, 31))  # still there on the day
    MembershipFactory(convocation=convocation, start_date=dt.date(2020, 1, 15))  # joined the next year
    # Another council's members do not count.
    MembershipFactory.create_batch(2, convocation=ConvocationFactory())

    stats = council_year_stats(council=council, year=2019, today=TODAY).as_dict()

    assert stats["members"] == {"total": 10, "state_body": 3, "civil_society": 7}


def test_an_earlier_convocation_that_ended_does_not_count(council, convocation):
    old = ConvocationFactory(council=council, number=1, start_date=dt.date(2016, 1, 1), end_date=dt.date(2019, 2, 28))
    MembershipFactory.create_batch(4, convocation=old, end_date=dt.date(2019, 2, 28))
    MembershipFactory.create_batch(2, convocation=convocation)
    BodyFactory.create_batch(3, convocation=old, kind=BodyKind.COMMISSION)
    BodyFactory.create_batch(2, convocation=convocation, kind=BodyKind.COMMISSION)
    BodyFactory(convocation=convocation, kind=BodyKind.PRESIDIUM)
    BodyFactory(convocation=convocation, kind=BodyKind.WORKING_GROUP)

    stats = council_year_stats(council=council, year=2019, today=TODAY).as_dict()

    assert stats["members"]["total"] == 2
    assert stats["commissions"] == 2
    assert council_year_stats(council=council, year=2018, today=TODAY).as_dict()["commissions"] == 3


def test_meetings_hearings_and_monitoring_are_counted_by_date_in_the_year(council):
    MeetingFactory.create_batch(3, council=council, kind=MeetingKind.COUNCIL)
    MeetingFactory(council=council, kind=MeetingKind.PRESIDIUM, date=dt.date(2019, 4, 2))
    MeetingFactory(council=council, kind=MeetingKind.ROUND_TABLE)
    MeetingFactory(council=council, kind=MeetingKind.COUNCIL, date=dt.date(2018, 12, 31))
    MeetingFactory(kind=MeetingKind.COUNCIL)  # another council
    PublicHearingFactory.create_batch(2, council=council)
    PublicHearingFactory(council=council, date=dt.date(2020, 1, 10))
    MonitoringEventFactory.create_batch(2, council=council, date=dt.date(2019, 4, 5))
    MonitoringEventFactory(council=council, date=dt.date(2019, 12, 31))
    MonitoringEventFactory(council=council, date=dt.date(2020, 1, 1))

    stats = council_year_stats(council=council, year=2019, today=TODAY).as_dict()

    assert stats["meetings"] == {
        "council": 3,
        "presidium": 1,
        "commission": 0,
        "round_table": 1,
        "seminar": 0,
        "working": 0,
    }
    assert stats["hearings"] == 2
    assert stats["monitoring"]["total"] == 3
    assert stats["monitoring"]["by_month"] == {
        **{str(m): 0 for m in range(1, 13)},
        "4": 2,
        "12": 1,
    }


def test_approved_draft_acts_include_those_approved_with_remarks(council):
    DraftActReviewFactory.create_batch(5, council=council, conclusion=DraftConclusion.APPROVED)
    DraftActReviewFactory.create_batch(2, council=council, conclusion=DraftConclusion.APPROVED_WITH_REMARKS)
    DraftActReviewFactory(council=council, conclusion=DraftConclusion.REJECTED)
    # Counted by the year its discussion started, even though it ended in the next year.
    DraftActReviewFactory(council=council, discussion_start=dt.date(2019, 12, 25), discussion_end=dt.date(2020, 1, 10))
    DraftActReviewFactory(council=council, discussion_start=dt.date(2020, 1, 5))

    stats = council_year_stats(council=council, year=2019, today=TODAY).as_dict()

    assert stats["draft_acts"] == {
        "reviewed": 9,
        "approved": 8,
        "with_remarks": 2,
        "rejected": 1,
        "pending": 0,
    }


def test_appeals_are_counted_by_type_category_channel_and_month(council):
    AppealFactory.create_batch(3, council=council, applicant_type=ApplicantType.INDIVIDUAL, category=Category.ECOLOGY)
    AppealFactory(
        council=council,
        applicant_type=ApplicantType.INDIVIDUAL,
        category=Category.HOUSING,
        channel=Channel.EMAIL,
    )
    AppealFactory.create_batch(
        2,
        council=council,
        applicant_type=ApplicantType.LEGAL_ENTITY,
        category=Category.TRANSPORT,
        channel=Channel.DUTY_SERVICE,
    )
    AppealFactory(council=council, year=2020)

    appeals = council_year_stats(council=council, year=2019, today=TODAY).as_dict()["appeals"]

    assert appeals["total"] == 6
    assert appeals["individuals"] == 4
    assert appeals["legal_entities"] == 2
    assert appeals["by_category"] == {**dict.fromkeys(Category.values, 0), "ecology": 3, "housing": 1, "transport": 2}
    assert appeals["individuals_by_category"] == {**dict.fromkeys(Category.values, 0), "ecology": 3, "housing": 1}
    assert appeals["by_channel"] == {**dict.fromkeys(Channel.values, 0), "web": 3, "email": 1, "duty_service": 2}
    assert appeals["by_month"]["3"] == 6
    assert sum(appeals["by_month"].values()) == 6


def test_recommendations_answered_and_overdue(council):
    due_before_today = TODAY - dt.timedelta(days=1)
    # Overdue: past due, no response, still open.
    RecommendationFactory(council=council, status=RecommendationStatus.SENT, response_due=due_before_today)
    RecommendationFactory(
        council=council, status=RecommendationStatus.UNDER_CONSIDERATION, response_due=due_before_today
    )
    # Answered by status: not overdue even without a response on file.
    RecommendationFactory(council=council, status=RecommendationStatus.IMPLEMENTED, response_due=due_before_today)
    RecommendationFactory(council=council, status=RecommendationStatus.REJECTED, response_due=due_before_today)
    # Answered by a response while the status is still «sent».
    RecommendationResponseFactory(
        recommendation=RecommendationFactory(
            council=council, status=RecommendationStatus.SENT, response_due=due_before_today
        )
    )
    # Not yet due, and due today: neither answered nor overdue.
    RecommendationFactory(council=council, status=RecommendationStatus.SENT, response_due=TODAY)
    RecommendationFactory(council=council, status=RecommendationStatus.DRAFT, response_due=None)
    # Issued in another year.
    RecommendationFactory(council=council, issued_on=dt.date(2020, 1, 10), response_due=due_before_today)

    # Asked as of a day after the year (the API's ?as_of=): the 2019 records' state on that day.
    recommendations = council_year_stats(council=council, year=2019, as_of=TODAY).as_dict()["recommendations"]

    assert recommendations["total"] == 7
    assert recommendations["answered"] == 3
    assert recommendations["overdue"] == 2
    assert recommendations["by_status"] == {
        **dict.fromkeys(RecommendationStatus.values, 0),
        "sent": 3,
        "under_consideration": 1,
        "implemented": 1,
        "rejected": 1,
        "draft": 1,
    }


def test_memoranda_are_counted_by_the_year_they_were_signed(council):
    MemorandumFactory.create_batch(3, council=council)
    MemorandumFactory(council=council, signed_on=dt.date(2018, 12, 31))

    assert council_year_stats(council=council, year=2019, today=TODAY).as_dict()["memoranda"] == 3


def _make_year_of_data(council, convocation, scale: int) -> None:
    """A year of every kind of record, `scale` times over."""
    for _ in range(scale):
        member = MembershipFactory(convocation=convocation, affiliation=Affiliation.STATE_BODY)
        ExpertAppointmentFactory(council=convocation.council)
        BodyFactory(convocation=convocation, kind=BodyKind.COMMISSION)
        for kind in MeetingKind.values:
            meeting = MeetingFactory(council=council, kind=kind)
            if kind == MeetingKind.COUNCIL:  # taken by name: the members' attendance counts it
                MeetingAttendance.objects.create(meeting=meeting, person=member.person)
        PublicHearingFactory(council=council)
        MonitoringEventFactory(council=council, date=dt.date(2019, 1 + _ % 12, 3))
        DraftActReviewFactory(council=council, conclusion=DraftConclusion.APPROVED_WITH_REMARKS)
        AppealFactory(council=council, applicant_type=ApplicantType.LEGAL_ENTITY, category=Category.HEALTH)
        AppealFactory(council=council)
        RecommendationResponseFactory(recommendation=RecommendationFactory(council=council))
        RecommendationFactory(council=council, response_due=dt.date(2019, 7, 1))
        MemorandumFactory(council=council)


def _count_queries(council) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        stats = council_year_stats(council=council, year=2019, today=TODAY).as_dict()
    return len(queries.captured_queries), stats


def test_the_number_of_queries_does_not_grow_with_the_data(council, convocation):
    _make_year_of_data(council, convocation, scale=1)
    queries_once, stats_once = _count_queries(council)

    _make_year_of_data(council, convocation, scale=4)  # five times the data in all
    queries_five_times, stats_five_times = _count_queries(council)

    assert stats_five_times["appeals"]["total"] == 5 * stats_once["appeals"]["total"]
    assert stats_five_times["members"]["total"] == 5 * stats_once["members"]["total"]
    assert len(stats_once["attendance"]) == 1 and len(stats_five_times["attendance"]) == 5
    assert queries_five_times == queries_once
    # Ten for the council's own figures; one for the work plan's items (its linked records add one per kind of
    # record) and two for the memoranda and their commitments; one each for the library, the consultation log and
    # the trainings; the appeals by district and the receptions; participation's counts (one query of scalar
    # subqueries); the information requests' figures by holder and ground (four); the news by kind, their
    # publications in the media and the monitoring events' publicity links (three); the stakeholder registry's
    # counts (one query of scalar subqueries); the experts, counted apart from the members (one); the members'
    # attendance (one query of correlated counts).
    assert queries_once <= 29


def test_years_with_data_are_listed_newest_first(council):
    MeetingFactory(council=council, date=dt.date(2018, 5, 1))
    AppealFactory(council=council, year=2021)
    MonitoringEventFactory(council=council, date=dt.date(2019, 5, 1))
    MemorandumFactory(council=council, signed_on=dt.date(2017, 5, 1))
    MeetingFactory(date=dt.date(2025, 5, 1))  # another council's year

    assert council_years(council=council) == [2021, 2019, 2018, 2017]


def test_headlines_show_each_councils_default_year_in_a_fixed_number_of_queries(council, convocation):
    MembershipFactory.create_batch(2, convocation=convocation)
    MeetingFactory.create_batch(2, council=council, date=dt.date(2019, 5, 1))
    MeetingFactory(council=council, date=dt.date(2018, 5, 1))
    quiet = CouncilFactory()
    others = CouncilFactory.create_batch(3)
    for other in others:
        AppealFactory(council=other, year=2020)

    with CaptureQueriesContext(connection) as queries:
        headlines = council_headlines(councils=[council, quiet, *others])

    # Ten for the yearly totals (seven, then one for the library, two for consultations and trainings), one for
    # the published reports' years, one for the members.
    assert len(queries.captured_queries) <= 12
    by_council = {h.council: h for h in headlines}
    assert by_council[council].year == 2019
    assert by_council[council].members["total"] == 2
    assert by_council[council].figures["council_meetings"] == 2
    assert by_council[quiet].year is None
    assert all(by_council[o].year == 2020 and by_council[o].figures["appeals"] == 1 for o in others)
