"""Secretaries enter a body's and a partner's official names in Russian, Kazakh and English in the workspace,
and a page in Kazakh never writes its language's column by accident (django-modeltranslation writes
`obj.name = x` to the active language's column)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from councils.models import Body, BodyKind, Memorandum, Partner
from tests import factories as f

pytestmark = pytest.mark.django_db

COMMISSION_RU = "Комиссия по экологии"
COMMISSION_KK = "Экология жөніндегі комиссия"
COMMISSION_EN = "Commission on the Environment"


@pytest.fixture
def secretary(personas):
    return personas.client_for(personas.secretary)


@pytest.fixture
def convocation(personas):
    return personas.council.convocations.get()


def _kk_url(name: str, **kwargs) -> str:
    with translation.override("kk"):
        return reverse(f"councils_ws:{name}", kwargs={"slug": "almaty", **kwargs})


def test_a_body_added_from_the_kazakh_workspace_keeps_each_name_in_its_column(personas, secretary, convocation):
    form = secretary.get(_kk_url("body_add"))
    assert "Атауы (қаз.)" in form.text  # the three fields, labelled in the page's language
    assert 'name="name_ru"' in form.text and 'name="name_en"' in form.text

    response = secretary.post(
        _kk_url("body_add"),
        {
            "convocation": str(convocation.pk),
            "kind": BodyKind.COMMISSION,
            "number": "3",
            "name_ru": COMMISSION_RU,
            "name_kk": COMMISSION_KK,
            "name_en": COMMISSION_EN,
        },
    )

    assert response.status_code == 302
    body = Body.objects.get(council=personas.council)
    assert (body.name_ru, body.name_kk, body.name_en) == (COMMISSION_RU, COMMISSION_KK, COMMISSION_EN)


def test_a_body_without_a_russian_name_is_refused_with_a_translated_error(personas, secretary, convocation):
    response = secretary.post(
        _kk_url("body_add"),
        {"convocation": str(convocation.pk), "kind": BodyKind.COMMISSION, "name_ru": "", "name_kk": COMMISSION_KK},
    )

    assert response.status_code == 400
    assert "name_ru" in response.context["form"].errors
    assert not Body.objects.filter(council=personas.council).exists()


def test_editing_from_the_kazakh_workspace_changes_the_kazakh_name_and_keeps_the_russian(
    personas, secretary, convocation
):
    body = f.BodyFactory(convocation=convocation, name=COMMISSION_RU, number=3)
    form = secretary.get(_kk_url("body_edit", pk=body.pk))
    # The Russian field shows the Russian column; the Kazakh one is empty, not the Russian fallback.
    assert form.context["form"]["name_ru"].value() == COMMISSION_RU
    assert not form.context["form"]["name_kk"].value()

    response = secretary.post(
        _kk_url("body_edit", pk=body.pk),
        {"name_ru": COMMISSION_RU, "name_kk": COMMISSION_KK, "name_en": "", "description": ""},
    )

    assert response.status_code == 302
    body.refresh_from_db()
    assert (body.name_ru, body.name_kk) == (COMMISSION_RU, COMMISSION_KK)
    public_kk = Client().get("/kk/councils/almaty/composition/?year=2019")
    assert public_kk.status_code == 200
    assert COMMISSION_KK in public_kk.text
    public_ru = Client().get("/ru/councils/almaty/composition/?year=2019")
    assert COMMISSION_RU in public_ru.text and COMMISSION_KK not in public_ru.text


def test_a_member_may_not_edit_a_body(personas, convocation):
    body = f.BodyFactory(convocation=convocation, name=COMMISSION_RU)
    member = personas.client_for(personas.member)

    response = member.post(_kk_url("body_edit", pk=body.pk), {"name_ru": "Другое", "name_kk": "Басқа"})

    assert response.status_code == 403
    body.refresh_from_db()
    assert (body.name_ru, body.name_kk) == (COMMISSION_RU, None)


def test_a_new_partner_from_the_kazakh_workspace_keeps_each_name_and_is_found_again(personas, secretary):
    post = {
        "title": "Меморандум о сотрудничестве",
        "partner": "",
        "new_partner_name": "ОО «Экосфера»",
        "new_partner_name_kk": "«Экосфера» ҚБ",
        "new_partner_name_en": "Ecosphere NGO",
        "new_partner_kind": "ngo",
        "signed_on": "2019-06-01",
        "description": "",
    }

    assert secretary.post(_kk_url("memorandum_add"), post).status_code == 302
    # The same Russian name, typed again from /kk/, is the partner already on file, not a second one.
    assert secretary.post(_kk_url("memorandum_add"), {**post, "new_partner_name_kk": ""}).status_code == 302

    partner = Partner.objects.get(council=personas.council)
    assert (partner.name_ru, partner.name_kk, partner.name_en) == ("ОО «Экосфера»", "«Экосфера» ҚБ", "Ecosphere NGO")
    assert Memorandum.objects.filter(partner=partner).count() == 2
