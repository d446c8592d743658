"""Information requests live the recommendations' lifecycle: a month to answer by default, one extension by a
month with reasons, answers, statuses and a history; and their workspace pages keep councils apart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from monitoring import lifecycle, services
from monitoring.access_rules import AccessRule
from monitoring.models import (
    INFORMATION_REQUEST_LIFECYCLE,
    RECOMMENDATION_LIFECYCLE,
    InformationRequest,
    InformationRequestStatus,
    Recommendation,
)
from monitoring.selectors import information_requests_overdue
from tests import factories as f
from tests.workspace.test_recommendations import answers, url_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return f.StateBodyFactory(slug="akimat-almaty", name="Аппарат акима города Алматы")


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


S = InformationRequestStatus


def _request(personas, body=None, organisation="") -> InformationRequest:
    return services.information_request_create(
        council=personas.council,
        subject="Копия разрешения на вырубку",
        text="Просим предоставить копию разрешения",
        state_body=body,
        organisation=organisation,
        # The council's own term (a month, extendable by a month): the rule these tests are about.
        rule=AccessRule.COUNCIL,
        by=personas.secretary,
    )


def test_it_is_the_same_lifecycle_as_a_recommendation():
    for model in (Recommendation, InformationRequest):
        assert issubclass(model, lifecycle.TrackedItem)
    assert issubclass(InformationRequest, lifecycle.ExtendableItem)
    assert RECOMMENDATION_LIFECYCLE.model is Recommendation
    assert INFORMATION_REQUEST_LIFECYCLE.model is InformationRequest
    assert INFORMATION_REQUEST_LIFECYCLE.extendable and not RECOMMENDATION_LIFECYCLE.extendable


def test_the_answer_is_due_one_calendar_month_after_sending(personas, body):
    req = _request(personas, body)
    req = services.information_request_send(
        information_request=req, sent_on=dt.date(2024, 1, 31), by=personas.secretary
    )
    assert req.response_due == dt.date(2024, 2, 29)  # capped at the end of February, a Thursday
    # A month ending on a day off ends on the next working day: 8 March 2025 is a Saturday and a holiday, whose
    # day off moves to Monday 10 March; so Tuesday 11 March.
    other = _request(personas, organisation="ТОО «Алматы Су»")
    other = services.information_request_send(
        information_request=other, sent_on=dt.date(2025, 2, 8), by=personas.secretary
    )
    assert other.response_due == dt.date(2025, 3, 11)


def test_one_extension_by_a_month_with_reasons_only(personas, body):
    by = personas.secretary
    req = _request(personas, body)
    services.information_request_send(information_request=req, sent_on=dt.date(2024, 1, 31), by=by)

    with translation.override("en"), pytest.raises(ValidationError) as no_reasons:
        services.information_request_extend(information_request=req, reasons="  ", by=by)
    assert no_reasons.value.message_dict == {"reasons": ["Give the reasons for the extension."]}
    req.refresh_from_db()
    assert req.extended_until is None

    req = services.information_request_extend(information_request=req, reasons="Документы запрошены в архиве", by=by)
    assert req.extended_until == dt.date(2024, 3, 29)  # a month after 29 February
    assert req.effective_due == dt.date(2024, 3, 29)
    step = req.history.order_by("id").last()
    assert (step.status, step.changed_by) == (S.EXTENDED, by)
    assert "Документы запрошены в архиве" in step.note

    with pytest.raises(ValidationError):
        services.information_request_extend(information_request=req, reasons="Ещё раз", by=by)
    assert InformationRequest.objects.get().extended_until == dt.date(2024, 3, 29)


def test_the_database_refuses_an_extension_without_reasons(personas, body):
    req = _request(personas, body)
    services.information_request_send(information_request=req, sent_on=dt.date(2024, 1, 31), by=personas.secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=req.pk).update(extended_until=dt.date(2024, 3, 29))


def test_a_recommendation_has_no_extension(personas, body):
    rec = services.recommendation_create(
        council=personas.council, text="Текст", state_body=body, issued_on=dt.date(2025, 3, 17), by=None
    )
    services.recommendation_send(recommendation=rec, sent_on=dt.date(2025, 3, 19), by=None)
    with pytest.raises(ValidationError):
        lifecycle.lifecycle_extend(RECOMMENDATION_LIFECYCLE, item=rec, reasons="Просьба органа", by=None)


def test_one_addressee_exactly(personas, body):
    with pytest.raises(ValidationError):
        _request(personas)
    with pytest.raises(ValidationError):
        _request(personas, body, organisation="ТОО «Алматы Су»")
    assert _request(personas, organisation="ТОО «Алматы Су»").addressee == "ТОО «Алматы Су»"


def test_answer_status_and_overdue(personas, body):
    by = personas.secretary
    answered, extended, waiting = (_request(personas, body) for _ in range(3))
    for req in (answered, extended, waiting):
        services.information_request_send(information_request=req, sent_on=dt.date(2024, 1, 31), by=by)
    services.information_request_record_response(
        information_request=answered, received_on=dt.date(2024, 2, 20), text="Копия приложена", by=by
    )
    services.information_request_extend(information_request=extended, reasons="Архив", by=by)

    overdue = information_requests_overdue(council=personas.council, as_of=dt.date(2024, 3, 1))
    assert list(overdue) == [waiting]
    overdue = information_requests_overdue(council=personas.council, as_of=dt.date(2024, 4, 1))
    assert set(overdue) == {waiting, extended}

    answered.refresh_from_db()
    assert answered.status == S.ANSWERED
    services.information_request_set_status(information_request=answered, status=S.CLOSED, by=by)
    assert [h.status for h in answered.history.order_by("id")] == [S.DRAFT, S.SENT, S.ANSWERED, S.CLOSED]
    services.information_request_set_status(information_request=waiting, status=S.WITHDRAWN, by=by)
    assert list(information_requests_overdue(council=personas.council, as_of=dt.date(2024, 4, 1))) == [extended]
    with pytest.raises(ValidationError):
        services.information_request_set_status(information_request=answered, status=S.SENT, by=by)


# ---- pages -------------------------------------------------------------------------------------------------


def test_create_send_and_extend_through_the_pages(personas, body, secretary):
    response = secretary.post(
        url_of("request_create", personas.council),
        {
            "state_body": "",
            "organisation": "ТОО «Алматы Су»",
            "subject": "Анализы воды",
            "text": "Просим",
            "rule": "council",
        },
    )
    req = InformationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url_of("request_detail", personas.council, pk=req.pk)
    send, extend = (url_of(f"request_{name}", personas.council, pk=req.pk) for name in ("send", "extend"))
    assert secretary.post(send, {"sent_on": "2024-01-31"}).status_code == 302

    refused = secretary.post(extend, {"reasons": ""})
    assert refused.status_code == 400
    assert refused.context["failed_action"] == "extend"

    assert secretary.post(extend, {"reasons": "Архив"}).status_code == 302
    page = secretary.get(url_of("request_detail", personas.council, pk=req.pk))
    assert page.status_code == 200
    assert "extend" not in {a["action"].name for a in page.context["actions"]}  # once only
    req.refresh_from_db()
    assert (req.status, req.extended_until) == (S.EXTENDED, dt.date(2024, 3, 29))


def test_an_addressee_is_required_beside_the_form_with_the_text_kept(personas, secretary):
    response = secretary.post(
        url_of("request_create", personas.council),
        {"state_body": "", "organisation": "", "subject": "Анализы воды", "text": "Мой текст"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["form"]["text"].value() == "Мой текст"
    assert not InformationRequest.objects.exists()


def test_the_list_filters_overdue_and_exports(personas, body, secretary):
    waiting = _request(personas, body)
    services.information_request_send(information_request=waiting, sent_on=dt.date(2024, 1, 31), by=personas.secretary)
    _request(personas, body)
    page = secretary.get(url_of("requests", personas.council) + "?overdue=1")
    assert [r.pk for r in page.context["object_list"]] == [waiting.pk]
    exported = secretary.get(url_of("requests", personas.council) + "?overdue=1&format=csv")
    assert exported.status_code == 200
    assert len(exported.getvalue().decode("utf-8-sig").strip().splitlines()) == 2


def test_scope_of_the_request_pages(personas, body):
    req = _request(personas, body)
    reads = [url_of("requests", personas.council), url_of("request_detail", personas.council, pk=req.pk)]
    writes = [
        url_of("request_create", personas.council),
        url_of("request_edit", personas.council, pk=req.pk),
        *(url_of(f"request_{name}", personas.council, pk=req.pk) for name in ("send", "respond", "extend", "status")),
    ]
    posts = [(url, {"sent_on": "2024-01-31"}) for url in writes]
    read, write = answers(personas.client_for(personas.other_secretary), reads, posts)
    assert set(read.values()) == set(write.values()) == {404}, (read, write)
    read, write = answers(personas.client_for(personas.member), reads, posts)
    assert set(read.values()) == {200} and set(write.values()) == {403}, (read, write)
    outsider = personas.client_for(personas.other_secretary)
    assert outsider.get(url_of("request_detail", personas.other_council, pk=req.pk)).status_code == 404
    req.refresh_from_db()
    assert req.status == S.DRAFT
