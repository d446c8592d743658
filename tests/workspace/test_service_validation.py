"""Services own validation: a rule between fields is said once, by the service, and the workspace shows it on the
field it is about, in the reader's language, with everything typed kept (councils/workspace.py,
ServiceDataForm and WorkspaceActionView). The model's CheckConstraints still guard the database; the form no
longer checks them first in their own words."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from councils.forms import MemorandumForm, WorkPlanItemForm
from councils.models import Memorandum, WorkPlanItem
from councils.workspace import ServiceDataForm, add_service_errors
from monitoring.models import InformationRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


def _url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs={"slug": "almaty", **kwargs})


def _non_field(form) -> list[str]:
    return list(form.non_field_errors())


def test_a_postponed_item_without_a_reason_is_told_once_beside_the_reason_in_kazakh(personas, secretary):
    item = f.WorkPlanItemFactory(council=personas.council, year=2019, number=3, activity="Круглый стол")
    data = {"year": "2019", "number": "3", "activity": "Дөңгелек үстел: көлік", "status": "postponed"}
    response = secretary.post(_url("councils_ws:workplan_edit", "kk", pk=item.pk), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["status_reason"] == ["Тармақтың неге кейінге қалдырылғанын немесе тоқтатылғанын көрсетіңіз."]
    assert _non_field(form) == []
    page = response.content.decode()
    assert "Дөңгелек үстел: көлік" in page  # nothing typed is lost
    assert "work_plan_postponed_has_reason" not in page  # not the database constraint's words above the form
    item.refresh_from_db()
    assert (item.status, item.activity) == ("planned", "Круглый стол")


def test_a_cancelled_item_without_a_reason_is_refused_by_the_service_too(personas, secretary):
    # The database's constraint covers "postponed" only; the service's rule covers both.
    item = f.WorkPlanItemFactory(council=personas.council, year=2019, number=4)
    data = {"year": "2019", "number": "4", "activity": "Форум", "status": "cancelled"}
    response = secretary.post(_url("councils_ws:workplan_edit", "ru", pk=item.pk), data)
    assert response.status_code == 400
    assert response.context["form"].errors["status_reason"] == ["Укажите, почему пункт перенесён или отменён."]
    assert WorkPlanItem.objects.get(pk=item.pk).status == "planned"


def test_a_memorandum_ending_before_it_was_signed_is_told_on_the_term_in_kazakh(personas, secretary):
    data = {
        "title": "Экология саласындағы ынтымақтастық туралы меморандум",
        "signed_on": "2019-06-14",
        "valid_until": "2019-01-01",
        "new_partner_name": "ОО «Зелёный Казахстан»",
        "new_partner_kind": "ngo",
        "description": "Бірлескен мониторинг",
    }
    response = secretary.post(_url("councils_ws:memorandum_add", "kk"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["valid_until"] == ["Меморандум қол қойылғанға дейін аяқтала алмайды."]
    assert _non_field(form) == []  # not the constraint's "memorandum_term_after_signing" above the form
    page = response.content.decode()
    for typed in ("Экология саласындағы ынтымақтастық туралы меморандум", "2019-01-01", "Бірлескен мониторинг"):
        assert typed in page
    assert not Memorandum.objects.exists()


def test_a_request_to_two_addressees_is_told_on_the_organisation_field(personas, secretary):
    body = f.StateBodyFactory()
    data = {
        "state_body": str(body.pk),
        "organisation": "ТОО «Атырау Нефть»",
        "subject": "Данные мониторинга выбросов",
        "text": "Просим предоставить данные.",
        "rule": "access_law",
    }
    response = secretary.post(_url("monitoring_ws:request_create", "ru"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["organisation"] == [
        "Укажите одного адресата: государственный орган из списка или организацию по названию."
    ]
    assert _non_field(form) == []
    assert "Данные мониторинга выбросов" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_both_forms_stand_on_the_one_rule_without_their_workarounds():
    """WorkPlanItemForm no longer repeats the service's «postponed or cancelled needs a reason» in a clean();
    MemorandumForm no longer skips the whole model validation (`_post_clean`) to keep the constraints quiet."""
    for form_class in (WorkPlanItemForm, MemorandumForm):
        assert issubclass(form_class, ServiceDataForm)
        assert "_post_clean" not in vars(form_class)
    assert "clean" not in vars(WorkPlanItemForm)


def test_a_model_forms_field_rules_and_uniqueness_still_hold(personas):
    """Only the CheckConstraints are left to the service: a field's own model rules (here the title's length)
    are still the form's."""
    form = MemorandumForm(
        {"title": "x" * 1000, "signed_on": "2019-06-14", "valid_until": "2019-01-01", "new_partner_name": "ОО"},
        council=personas.council,
    )
    assert not form.is_valid()
    assert "title" in form.errors
    assert "valid_until" not in form.errors  # the service's rule, said by the service
    assert not form.non_field_errors()


class _Input(dict):
    pass


class _RenamedForm(ServiceDataForm, forms.Form):
    data_class = _Input
    data_names: ClassVar[dict[str, str]] = {"reason": "rejection_reason"}
    reason = forms.CharField(required=False)
    note = forms.CharField(required=False)


def test_a_service_error_on_an_input_named_otherwise_lands_on_the_forms_field():
    form = _RenamedForm({"reason": "", "note": "typed"})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"rejection_reason": "Say why.", "note": "Too short.", "elsewhere": "Not here."})
    )
    assert form.errors["reason"] == ["Say why."]
    assert form.errors["note"] == ["Too short."]
    assert list(form.non_field_errors()) == ["Not here."]
    assert form.data["note"] == "typed"
