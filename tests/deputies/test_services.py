"""The deputies app's rules: the composition on a date, roll-call tallies, the second-person review with a cited
source, question moderation, and the response figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from deputies import selectors, services
from deputies.models import (
    ActivityKind,
    Deputy,
    EndReason,
    Presence,
    Question,
    QuestionStatus,
    ReviewStatus,
    Session,
    VoteOption,
)

from .world import START


def names(mandates):
    return sorted(m.deputy.full_name for m in mandates)


def test_composition_on_a_date_follows_early_termination_and_by_election(dw):
    mandate = dw.seitkali.mandates.get()
    services.mandate_end(mandate=mandate, end_date=dt.date(2024, 5, 31), reason=EndReason.RESIGNATION)
    newcomer = Deputy.objects.create(slug="newcomer", full_name_ru="Абенова Динара")
    services.mandate_by_election(vacated=mandate, deputy=newcomer, start_date=dt.date(2024, 9, 15))

    assert names(selectors.composition_on(body=dw.body, day=dt.date(2024, 5, 31))) == [
        "Жумабаев Арман",
        "Иванова Анна Петровна",
        "Сейткали Ерлан Маратович",
    ]
    assert names(selectors.composition_on(body=dw.body, day=dt.date(2024, 7, 1))) == [
        "Жумабаев Арман",
        "Иванова Анна Петровна",
    ]
    after = selectors.composition_on(body=dw.body, day=dt.date(2024, 9, 15))
    assert "Абенова Динара" in names(after)
    assert next(m for m in after if m.deputy == newcomer).constituency == dw.district_2
    assert selectors.composition_on(body=dw.body, day=START - dt.timedelta(days=1)) == []


def test_an_early_end_needs_a_reason(dw):
    mandate = dw.seitkali.mandates.get()
    with pytest.raises(ValidationError):
        services.mandate_end(mandate=mandate, end_date=dt.date(2024, 1, 1), reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(mandate).objects.filter(pk=mandate.pk).update(end_date=dt.date(2024, 1, 1), end_reason="")


def test_who_is_my_deputy_goes_from_a_locality_to_the_constituencys_deputy(dw):
    found = selectors.deputies_for_locality(locality=dw.locality, day=dt.date(2024, 1, 10))

    assert [m.deputy for m in found] == [dw.ivanova]
    assert found[0].constituency == dw.district_1


def _session(dw, attendance=None):
    return services.session_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.SessionData(body=dw.body, number=12, date=dt.date(2024, 4, 25), source_url="https://m.kz/12"),
        attendance=attendance or {},
    )


def test_vote_tallies_are_counted_from_the_ballots(dw):
    session = _session(dw)
    vote = services.vote_record(
        session=session,
        motion="О бюджете города на 2024–2026 годы",
        ballots={dw.ivanova.pk: VoteOption.YES, dw.seitkali.pk: VoteOption.NO, dw.listed.pk: VoteOption.YES},
    )
    tally = selectors.vote_tally(vote)

    assert (tally.yes, tally.no, tally.abstain, tally.absent) == (2, 1, 0, 0)
    assert tally.passed
    split = services.vote_record(
        session=session, motion="Поправка", ballots={dw.ivanova.pk: VoteOption.YES, dw.seitkali.pk: VoteOption.NO}
    )
    assert not selectors.vote_tally(split).passed


def test_a_roll_call_cannot_list_someone_without_a_mandate(dw):
    session = _session(dw)
    stranger = Deputy.objects.create(slug="stranger", full_name_ru="Посторонний")
    with pytest.raises(ValidationError):
        services.vote_record(session=session, motion="X", ballots={stranger.pk: VoteOption.YES})


def test_publication_needs_a_second_person_and_a_source(dw):
    session = _session(dw)
    with pytest.raises(ValidationError):
        services.record_publish(record=session, reviewer=dw.monitor)
    services.record_publish(record=session, reviewer=dw.reviewer)
    assert Session.objects.get(pk=session.pk).status == ReviewStatus.PUBLISHED

    unsourced = services.activity_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.ActivityData(deputy=dw.ivanova, kind=ActivityKind.INQUIRY, date=dt.date(2024, 2, 1), title="Q"),
    )
    with pytest.raises(ValidationError):
        services.record_publish(record=unsourced, reviewer=dw.reviewer)
    assert unsourced.status == ReviewStatus.DRAFT


def test_a_monitor_records_only_bodies_it_monitors(dw):
    from tests.deputies.world import build

    other = build(slug="echo", city="almaty")
    with pytest.raises(ValidationError):
        services.activity_record(
            monitor=other.ngo,
            user=other.monitor,
            data=services.ActivityData(
                deputy=dw.ivanova, kind=ActivityKind.RECEPTION, date=dt.date(2024, 2, 1), title="R"
            ),
        )


def test_attendance_rate_counts_published_sessions_only(dw):
    session = _session(dw, {dw.ivanova.pk: Presence.PRESENT, dw.seitkali.pk: Presence.ABSENT})
    assert selectors.body_year_figures(body=dw.body, year=2024, as_of=dt.date(2024, 12, 31)).attendance_rate is None
    Session.objects.filter(pk=session.pk).update(status=ReviewStatus.PUBLISHED)
    figures = selectors.body_year_figures(body=dw.body, year=2024, as_of=dt.date(2024, 12, 31))
    assert (figures.sessions, figures.attendance_rate) == (1, 50)


def _ask(dw, when, deputy=None):
    return services.question_submit(
        deputy=deputy or dw.ivanova,
        data=services.QuestionData(
            author_name="Айгерим",
            author_email="aigerim@example.kz",
            subject="Освещение",
            text="Когда?",
            personal_data_consent=True,
        ),
        language="kk",
        now=when,
    )


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_a_question_is_private_until_moderated_and_a_rejection_says_why(dw):
    question = _ask(dw, aware(2024, 3, 1, 10))
    assert question.council == dw.ngo
    assert not selectors.published_questions().exists()
    with pytest.raises(ValidationError):
        services.question_moderate(question=question, user=dw.reviewer, publish=False, reason=" ")
    services.question_moderate(question=question, user=dw.reviewer, publish=False, reason="Оскорбления (п. 2)")
    assert Question.objects.get(pk=question.pk).status == QuestionStatus.REJECTED
    assert not selectors.published_questions().exists()


def test_only_the_deputys_office_answers_and_only_once(dw):
    question = _ask(dw, aware(2024, 3, 1, 10))
    with pytest.raises(ValidationError):  # not yet published
        services.question_answer(question=question, user=dw.office, text="Ответ")
    services.question_moderate(question=question, user=dw.reviewer, publish=True, now=aware(2024, 3, 2, 10))
    with pytest.raises(ValidationError):
        services.question_answer(question=question, user=dw.monitor, text="Ответ")
    services.question_answer(question=question, user=dw.office, text="Ответ", now=aware(2024, 3, 6, 10))
    with pytest.raises(ValidationError):
        services.question_answer(question=question, user=dw.office, text="Ещё")


def test_response_rate_and_median_time_as_of_a_day(dw):
    days = [3, 5, 10]
    for n, delay in enumerate(days):
        q = _ask(dw, aware(2024, 3, 1 + n, 9))
        services.question_moderate(question=q, user=dw.reviewer, publish=True, now=aware(2024, 3, 1 + n, 10))
        services.question_answer(
            question=q, user=dw.office, text="Ответ", now=aware(2024, 3, 1 + n, 10) + dt.timedelta(days=delay)
        )
    unanswered = _ask(dw, aware(2024, 3, 20, 9))
    services.question_moderate(question=unanswered, user=dw.reviewer, publish=True, now=aware(2024, 3, 20, 10))

    stats = selectors.response_stats(deputy=dw.ivanova, as_of=dt.date(2024, 12, 31))
    assert (stats.published, stats.answered, stats.rate, stats.median_days) == (4, 3, 75, 5.0)
    # As of 8 March: three published, the 3-day and 5-day answers given (the 10-day one comes on 13 March).
    early = selectors.response_stats(deputy=dw.ivanova, as_of=dt.date(2024, 3, 8))
    assert (early.published, early.answered, early.rate, early.median_days) == (3, 2, 67, 4.0)
    assert selectors.response_stats(deputy=dw.seitkali).rate is None


def test_a_question_to_an_unmonitored_body_is_refused(dw):
    from deputies.models import MonitoredBody

    MonitoredBody.objects.all().delete()
    with pytest.raises(services.NoModerator):
        _ask(dw, aware(2024, 3, 1, 10))


def test_the_deputy_list_import_reports_rejected_rows(dw):
    result = services.deputy_list_import(
        convocation=dw.convocation,
        rows=[
            {"full_name": "Новиков Павел", "party": "Ак жол", "constituency": "2", "start_date": "01.04.2023"},
            {"full_name": "", "constituency": "1"},
            {"full_name": "Кто-то", "constituency": "99"},
            {"full_name": "Ещё", "start_date": "вчера"},
            {"full_name": "Иванова Анна Петровна", "constituency": "1", "post": "chair"},
        ],
    )
    assert (result.created, result.updated) == (1, 1)
    assert [row.line for row in result.rejected] == [3, 4, 5]
    assert all(row.reason for row in result.rejected)
    assert Deputy.objects.get(full_name_ru="Новиков Павел").mandates.get().constituency == dw.district_2
    assert dw.ivanova.mandates.get().post == "chair"


def test_the_demo_loads_once_and_is_marked_demo(db):
    from deputies import demo
    from deputies.models import Question, RepresentativeBody

    assert demo.load() is True
    assert demo.load() is False
    body = RepresentativeBody.objects.get(slug=demo.BODY_SLUG)
    assert body.is_demo and "демо" in body.name_ru
    composition = selectors.composition_on(body=body, day=dt.date(2024, 12, 31))
    assert len(composition) == 16
    assert all(m.deputy.is_demo for m in composition)
    figures = selectors.body_year_figures(body=body, year=2024, as_of=dt.date(2024, 12, 31))
    assert figures.sessions == 6 and figures.attendance_rate and figures.inquiries and figures.receptions
    assert Question.objects.filter(language="kk").exists()
