"""Issue 13, a council's year told truly: official names in Kazakh with the Russian marked where it stands in,
experts apart from members, and members who left with a reason and a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from councils.models import Affiliation, BodyKind, EndReason, ExpertAppointment
from reports.annual import annual_report_context
from reports.rendering import render_html
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def almaty():
    council = f.CouncilFactory(
        slug="almaty-names",
        code="ALN",
        name="Общественный совет города Алматы",
        name_kk="Алматы қаласының Қоғамдық кеңесі",
        legal_basis="Закон «Об общественных советах»",
    )
    convocation = f.ConvocationFactory(council=council, number=2, name="II состав", start_date=dt.date(2019, 3, 1))
    f.BodyFactory(
        council=council, convocation=convocation, kind=BodyKind.COMMISSION, number=1, name="Комиссия по экологии"
    )
    f.MembershipFactory.create_batch(2, convocation=convocation)
    f.MembershipFactory(convocation=convocation, affiliation=Affiliation.STATE_BODY)
    return council, convocation


def test_kazakh_page_shows_the_kazakh_name_and_marks_the_russian_that_stands_in(almaty):
    html = Client().get("/kk/councils/almaty-names/").content.decode()
    assert "<h1>Алматы қаласының Қоғамдық кеңесі</h1>" in html
    # The commission has no Kazakh name: its Russian one is marked for screen readers, and the legal basis too.
    assert '<span lang="ru">Комиссия по экологии</span>' in html
    assert '<div lang="ru"><p>Закон «Об общественных советах»</p></div>' in html
    assert "Бұл жазба орыс тілінде жүргізіледі." in html


def test_russian_page_needs_no_language_mark(almaty):
    html = Client().get("/ru/councils/almaty-names/").content.decode()
    assert "<h1>Общественный совет города Алматы</h1>" in html
    assert 'lang="ru">Комиссия' not in html


def test_kazakh_report_names_the_council_in_kazakh(almaty):
    council, _ = almaty
    html = render_html(council=council, year=2019, language="kk")
    assert '<p class="title-council">Алматы қаласының Қоғамдық кеңесі</p>' in html
    assert "Общественный совет города Алматы" not in html


def test_open_api_gives_the_official_names_in_each_language(almaty):
    data = Client().get("/api/v1/councils/almaty-names/").json()
    assert data["name"] == "Общественный совет города Алматы"
    assert data["name_ru"] == "Общественный совет города Алматы"
    assert data["name_kk"] == "Алматы қаласының Қоғамдық кеңесі"
    assert data["name_en"] in (None, "")
    kazakh = Client().get("/api/v1/councils/almaty-names/", HTTP_ACCEPT_LANGUAGE="kk").json()
    assert kazakh["name_ru"] == "Общественный совет города Алматы"


def test_experts_have_no_affiliation_and_are_not_counted_as_members(almaty):
    council, _ = almaty
    expert = f.ExpertAppointmentFactory(council=council, person__full_name="Эксперт Не Член")
    assert not hasattr(expert, "affiliation")
    assert not expert.person.memberships.exists()
    response = Client().get("/ru/councils/almaty-names/composition/?year=2019")
    assert response.status_code == 200
    assert response.context["page"]["composition"].counts == {"total": 3, "state_body": 1, "civil_society": 2}
    assert [a.person.full_name for a in response.context["page"]["experts"]] == ["Эксперт Не Член"]
    context = annual_report_context(council=council, year=2019)
    assert context["composition"].counts["total"] == 3
    assert [a.person.full_name for a in context["experts"]] == ["Эксперт Не Член"]
    assert "Эксперт Не Член" in render_html(council=council, year=2019, language="ru")


def test_the_report_says_who_left_in_the_year_and_why(almaty):
    council, convocation = almaty
    f.MembershipFactory(
        convocation=convocation,
        person__full_name="Ушедший Сам",
        end_date=dt.date(2019, 6, 30),
        end_reason=EndReason.OWN_REQUEST,
        end_decision="Решение председателя от 28.06.2019 № 7",
    )
    html = render_html(council=council, year=2019, language="ru")
    assert "Ушедший Сам — 30.06.2019, по собственному желанию (Решение председателя от 28.06.2019 № 7)" in html


def test_ending_a_membership_asks_why(personas):
    membership = f.MembershipFactory(convocation=personas.council.convocations.get())
    secretary = Client()
    secretary.force_login(personas.secretary)
    url = reverse("councils_ws:membership_end", kwargs={"slug": personas.council.slug, "pk": membership.pk})
    refused = secretary.post(url, {"end_date": "2019-09-30"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["end_reason"]
    done = secretary.post(url, {"end_date": "2019-09-30", "end_reason": "rotation", "end_decision": "Протокол № 5"})
    assert done.status_code == 302
    membership.refresh_from_db()
    assert (membership.end_reason, membership.end_decision) == ("rotation", "Протокол № 5")


def test_expert_memberships_on_file_become_expert_appointments(almaty):
    """The migration's step, run on a row of the old shape: the membership goes, the appointment keeps its dates."""
    import importlib

    from django.apps import apps

    council, convocation = almaty
    old = f.MembershipFactory(convocation=convocation, role="expert", start_date=dt.date(2019, 5, 16))
    module = importlib.import_module("councils.migrations.0009_experts_apart_and_leaving_reasons")
    module.experts_out_of_memberships(apps, None)
    assert not old.person.memberships.exists()
    appointment = ExpertAppointment.objects.get(person=old.person)
    assert (appointment.council, appointment.start_date, appointment.end_date) == (council, dt.date(2019, 5, 16), None)
