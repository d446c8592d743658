"""Memoranda with several parties, a term and commitments tracked to their due dates: the rules as of a day,
the workspace forms, the public pages and the year's figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councils.memoranda import (
    DONE,
    EXPIRED,
    IN_FORCE,
    NOT_YET,
    OPEN,
    OVERDUE,
    TERMINATED,
    commitment_state,
    memorandum_figures,
    memorandum_state,
)
from councils.models import Memorandum, MemorandumCommitment
from tests import factories as f

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_memorandum_is_in_force_from_signing_to_its_term_or_termination():
    memo = Memorandum(signed_on=D(2019, 6, 14), valid_until=D(2020, 6, 13))
    assert memorandum_state(memo, D(2019, 6, 13)) == NOT_YET
    assert memorandum_state(memo, D(2019, 6, 14)) == IN_FORCE
    assert memorandum_state(memo, D(2020, 6, 13)) == IN_FORCE
    assert memorandum_state(memo, D(2020, 6, 14)) == EXPIRED
    memo.terminated_on = D(2019, 12, 1)
    assert memorandum_state(memo, D(2019, 11, 30)) == IN_FORCE
    assert memorandum_state(memo, D(2019, 12, 1)) == TERMINATED


def test_a_commitment_is_overdue_once_its_due_date_has_passed_undone_as_of_a_day():
    commitment = MemorandumCommitment(text="x", owner="y", due_date=D(2019, 9, 30))
    assert commitment_state(commitment, D(2019, 9, 30)) == OPEN
    assert commitment_state(commitment, D(2019, 10, 1)) == OVERDUE
    commitment.done_on = D(2020, 2, 1)  # done, but only in the next year
    assert commitment_state(commitment, D(2019, 12, 31)) == OVERDUE
    assert commitment_state(commitment, D(2020, 2, 1)) == DONE


def _ws(name: str, **kwargs) -> str:
    return reverse(f"councils_ws:{name}", kwargs={"slug": "almaty", **kwargs})


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


def _memo_post(**overrides) -> dict:
    data = {
        "title": "Меморандум о сотрудничестве в сфере экологии",
        "signed_on": "2019-06-14",
        "new_partner_name": "ОО «Зелёный Казахстан»",
        "new_partner_kind": "ngo",
        "description": "",
    }
    data.update(overrides)
    return data


def test_a_memorandum_of_three_parties_with_a_term_and_a_commitment(personas, secretary):
    third = f.PartnerFactory(council=personas.council, name="ТОО «Карагандауголь»")
    response = secretary.post(
        _ws("memorandum_add"), _memo_post(other_parties=[str(third.pk)], valid_until="2021-06-13")
    )
    assert response.status_code == 302
    memo = Memorandum.objects.get(council=personas.council)
    assert memo.partner.name == "ОО «Зелёный Казахстан»"
    assert list(memo.other_parties.all()) == [third]
    assert response.url == _ws("memorandum_detail", pk=memo.pk)

    added = secretary.post(
        _ws("memorandum_detail", pk=memo.pk),
        {"text": "Провести совместный мониторинг выбросов", "owner": "ТОО «Карагандауголь»", "due_date": "2019-09-30"},
    )
    assert added.status_code == 302
    page = secretary.get(_ws("memorandum_detail", pk=memo.pk))
    assert "Провести совместный мониторинг выбросов" in page.content.decode()
    assert [row.state for row in page.context["view_of"].commitments] in ([OVERDUE], [OPEN])


def test_bad_dates_and_a_termination_without_reason_are_refused_with_what_was_typed_kept(personas, secretary):
    response = secretary.post(_ws("memorandum_add"), _memo_post(valid_until="2019-01-01", terminated_on="2019-07-01"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "valid_until" in errors and "termination_reason" in errors
    assert "Меморандум о сотрудничестве в сфере экологии" in response.content.decode()
    assert not Memorandum.objects.exists()


def test_the_signed_file_is_checked_by_its_content(personas, secretary):
    fake = SimpleUploadedFile("memo.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    response = secretary.post(_ws("memorandum_add"), {**_memo_post(), "document": fake})
    assert response.status_code == 400
    assert response.context["form"].errors["document"]
    assert not Memorandum.objects.exists()


def test_another_councils_commitment_cannot_be_edited(personas, secretary):
    other = f.MemorandumFactory(council=personas.other_council)
    commitment = other.commitments.create(text="Чужое", owner="Совет")
    assert secretary.get(_ws("commitment_edit", pk=commitment.pk)).status_code == 404
    assert secretary.get(_ws("memorandum_detail", pk=other.pk)).status_code == 404


def test_the_years_figures_and_the_public_page_stand_on_31_december(client):
    council = f.CouncilFactory(slug="almaty")
    memo = f.MemorandumFactory(council=council, signed_on=D(2019, 6, 14), valid_until=D(2019, 12, 31))
    memo.commitments.create(text="Мониторинг", owner="Совет", due_date=D(2019, 9, 30), done_on=D(2020, 1, 20))
    memo.commitments.create(text="Семинар", owner="Партнёр", due_date=D(2019, 5, 30), done_on=D(2019, 5, 30))
    figures = memorandum_figures(council=council, year=2019, as_of=D(2019, 12, 31))
    assert (figures.signed, figures.in_force, figures.commitments_due) == (1, 1, 2)
    assert (figures.commitments_done, figures.commitments_overdue) == (1, 1)

    pages = []
    for today in (D(2020, 3, 1), D(2026, 12, 4)):
        with time_machine.travel(today, tick=False):
            pages.append(client.get(reverse("reports:memoranda", kwargs={"slug": "almaty"}), {"year": "2019"}))
    for page in pages:
        [shown] = page.context["page"]["memoranda"]
        # In force on 31 December 2019 (its last day); the commitment done only in January stays overdue.
        assert (shown.state, shown.count_done, shown.count_overdue) == (IN_FORCE, 1, 1)
    detail = client.get(reverse("reports:memorandum", kwargs={"slug": "almaty", "pk": memo.pk}))
    assert detail.status_code == 200
    assert "Мониторинг" in detail.content.decode()
