"""The consultation log (counts public, people never) and trainings, in the workspace, on public pages, in the
stats API, the annual report and the retention rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outreach.models import Consultation, Training
from outreach.retention import consultations_anonymise_expired
from reports.rendering import render_html
from reports.selectors import council_year_stats
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Ахметов Серик QX-917"


@pytest.fixture(autouse=True)
def _no_cache():
    cache.clear()
    yield
    cache.clear()


def _consultation(**overrides):
    data = {
        "date": "2019-06-03",
        "kind": "legal",
        "channel": "phone",
        "topic": "pollution",
        "outcome": "advice",
        "referred_to": "",
        "client_name": SECRET,
        "client_contact": "+7 701 917 91 79",
        "notes": f"Жалоба {SECRET} на выбросы завода",
    }
    data.update(overrides)
    return data


def test_a_secretary_records_a_consultation_and_only_counts_are_public(personas):
    client = personas.client_for(personas.secretary)
    add = reverse("outreach_ws:consultation_add", args=[personas.council.slug])

    assert client.post(add, _consultation()).status_code == 302
    assert client.post(add, _consultation(date="2019-06-20", outcome="complaint", topic="oil_gas")).status_code == 302

    consultation = Consultation.objects.order_by("id").first()
    assert consultation.client_name == SECRET
    page = Client().get(reverse("reports:legal_advice", args=[personas.council.slug]), {"year": "2019"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "QX-917" not in text and "701 917" not in text
    assert "Загрязнение воздуха, воды и почвы" in text  # the topic, counted
    stats = Client().get(reverse("api-council-stats", args=[personas.council.slug]), {"year": "2019"}).json()
    assert stats["consultations"]["total"] == 2
    assert stats["consultations"]["by_month"]["6"] == 2
    assert stats["consultations"]["by_outcome"]["complaint"] == 1
    assert "QX-917" not in str(stats)
    html = render_html(council=personas.council, year=2019, language="ru")
    assert "QX-917" not in html
    assert "Консультации граждан" in html  # the report's part, added because there are consultations


def test_a_referral_says_where_and_a_future_consultation_is_refused(personas):
    client = personas.client_for(personas.secretary)
    add = reverse("outreach_ws:consultation_add", args=[personas.council.slug])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    referred = client.post(add, _consultation(outcome="referred"))
    future = client.post(add, _consultation(date=tomorrow))

    assert referred.status_code == future.status_code == 400
    assert "QX-917" in referred.content.decode()  # what was typed is kept
    assert Consultation.objects.count() == 0


def test_the_consultation_log_is_staff_only_and_scoped(personas):
    consultation = f.ConsultationFactory(council=personas.council, client_name=SECRET)
    detail = reverse("outreach_ws:consultation_detail", args=[personas.council.slug, consultation.pk])

    assert SECRET in personas.client_for(personas.member).get(detail).content.decode()
    assert personas.client_for(personas.other_secretary).get(detail).status_code == 404
    assert Client().get(detail).status_code == 302  # to sign in


def test_retention_clears_old_personal_data_and_keeps_the_counts(personas, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "CONSULTATION_RETENTION_YEARS": 3}
    now = timezone.make_aware(dt.datetime(2023, 7, 1, 3, 0))
    old = f.ConsultationFactory(council=personas.council, date=dt.date(2020, 6, 30), client_name=SECRET, notes=SECRET)
    old.client_contact = "+7 701 917 91 79"
    old.save()  # a second version in the audit history
    recent = f.ConsultationFactory(council=personas.council, date=dt.date(2020, 7, 2), client_name=SECRET)
    assert old.audit_history.filter(client_name=SECRET).count() == 2  # the audit trail holds the name too

    assert consultations_anonymise_expired(now=now) == 1
    assert consultations_anonymise_expired(now=now) == 0

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.client_name, old.client_contact, old.notes) == ("", "", "")
    assert old.anonymised_at == now
    assert not old.audit_history.filter(client_name=SECRET).exists()
    assert recent.client_name == SECRET
    assert council_year_stats(council=personas.council, year=2020).consultations.total == 2


def test_an_anonymised_consultation_takes_no_personal_data_again(personas):
    consultation = f.ConsultationFactory(council=personas.council, anonymised_at=timezone.now())
    client = personas.client_for(personas.secretary)
    edit = reverse("outreach_ws:consultation_edit", args=[personas.council.slug, consultation.pk])

    response = client.post(edit, _consultation())

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.client_name == "" and consultation.notes == ""


def test_a_training_lists_its_own_library_materials_and_partners(personas):
    document = f.DocumentFactory(council=personas.council, title="Пособие «Участие общественности»")
    draft = f.DocumentFactory(council=personas.council, title="Черновик раздатки", is_published=False)
    foreign = f.DocumentFactory(council=personas.other_council, title="Чужой документ")
    partner = f.PartnerFactory(council=personas.council, name="Фонд Сорос-Казахстан")
    client = personas.client_for(personas.secretary)
    add = reverse("outreach_ws:training_add", args=[personas.council.slug])
    data = {
        "kind": "seminar",
        "title": "Семинар для НПО по ОВОС",
        "date": "2019-03-21",
        "audience": "ngos",
        "participants": "34",
        "materials": [document.pk, draft.pk],
        "partners": [partner.pk],
    }

    refused = client.post(add, {**data, "materials": [foreign.pk]})
    saved = client.post(add, data)

    assert refused.status_code == 400
    assert saved.status_code == 302
    training = Training.objects.get()
    page = Client().get(reverse("reports:training", args=[personas.council.slug, training.pk])).content.decode()
    assert "Пособие «Участие общественности»" in page or "Пособие &laquo;" in page or "Пособие" in page
    assert "Черновик раздатки" not in page  # a draft document stays the staff's
    assert "Фонд Сорос-Казахстан" in page
    api = Client().get("/api/v1/trainings/").json()["results"][0]
    assert api["participants"] == 34
    assert [m["title"] for m in api["materials"]] == ["Пособие «Участие общественности»"]


def test_participants_cannot_be_negative(personas):
    client = personas.client_for(personas.secretary)
    add = reverse("outreach_ws:training_add", args=[personas.council.slug])

    response = client.post(
        add, {"kind": "seminar", "title": "Семинар", "date": "2019-03-21", "audience": "ngos", "participants": "-5"}
    )

    assert response.status_code == 400
    assert Training.objects.count() == 0


def test_trainings_are_counted_in_the_stats_and_the_report(personas):
    f.TrainingFactory(council=personas.council, audience="students", participants=52)
    f.TrainingFactory(council=personas.council, audience="civil_servants", participants=28, kind="training")

    stats = council_year_stats(council=personas.council, year=2019)
    html = render_html(council=personas.council, year=2019, language="kk")

    assert stats.trainings.total == 2 and stats.trainings.participants == 80
    assert stats.trainings.participants_by_audience["students"] == 52
    assert "Тренингтер, семинарлар және ақпараттық науқандар" in html  # the part's title, in Kazakh


def test_a_council_without_such_records_keeps_its_report_parts(personas):
    html = render_html(council=personas.council, year=2019, language="ru")

    assert "Библиотека экологической информации" not in html
    assert "Консультации граждан" not in html
    assert "11. Семинары, круглые столы и меморандумы" in html or "Семинары" in html
