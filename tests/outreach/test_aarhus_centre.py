"""An Aarhus centre: its own sections on its page and a report whose parts follow its pillars; the demo centre."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.demo import register_demo_step
from councils.models import Council, CouncilKind
from library.models import Document
from outreach.models import Consultation, Training
from reports.rendering import render_html
from reports.selectors import council_year_stats
from tests import factories as f

pytestmark = pytest.mark.django_db

PILLARS_RU = (
    "Доступ к экологической информации",
    "Участие общественности в принятии экологических решений",
    "Доступ к правосудию по экологическим вопросам",
    "Просвещение и информирование",
    "Сотрудничество и партнёрство",
)


@pytest.fixture(autouse=True)
def _no_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def centre(db) -> Council:
    centre = f.CouncilFactory(slug="zhaik", code="ZHK", kind=CouncilKind.AARHUS, name="Орхусский центр")
    f.DocumentFactory(council=centre, title="Бюллетень о состоянии окружающей среды")
    f.TrainingFactory(council=centre, title="Семинар для студентов", audience="students", participants=40)
    f.ConsultationFactory(council=centre, client_name="Секретное Имя QZ-4")
    return centre


def test_the_centre_page_shows_its_pillars(centre):
    text = Client().get(reverse("reports:council", args=[centre.slug]), {"year": "2019"}).content.decode()

    for pillar in PILLARS_RU:
        assert pillar in text
    assert reverse("reports:library", args=[centre.slug]) in text
    assert "QZ-4" not in text


def test_a_city_council_page_has_no_pillars(personas):
    text = Client().get(reverse("reports:council", args=[personas.council.slug])).content.decode()

    assert "pillar-information" not in text


def test_the_centre_report_follows_its_pillars_in_order(centre):
    html = render_html(council=centre, year=2019, language="ru")

    positions = [html.index(f"{n}. {title}") for n, title in enumerate(PILLARS_RU, 4)]
    assert positions == sorted(positions)
    assert "Бюллетень о состоянии окружающей среды" in html
    assert "Семинар для студентов" in html
    assert "Общественные слушания" in html  # participation keeps the hearings
    assert "QZ-4" not in html
    # A centre has staff, not members: no «Members on 31.12.2019: 0», no council's plenary and presidium.
    assert "Членов совета на" not in html and "Центр работает силами своих сотрудников" in html
    assert "через президиум и комиссии" not in html


def test_the_demo_centre_loads_a_year_and_loading_again_changes_nothing(monkeypatch):
    import core.demo

    monkeypatch.setattr(core.demo, "_steps", {core.demo.AARHUS: [], core.demo.ALMATY: []})
    ran = []
    register_demo_step("test-hook", lambda *, council, year, data: ran.append((council.slug, year)))

    call_command("load_demo_aarhus")
    first = council_year_stats(council=Council.objects.get(slug="zhaik-caspian"), year=2019)
    call_command("load_demo_aarhus")
    centre = Council.objects.get(slug="zhaik-caspian")
    again = council_year_stats(council=centre, year=2019)

    assert centre.kind == CouncilKind.AARHUS
    assert first.as_dict() == again.as_dict()
    assert again.library.total == Document.objects.filter(council=centre).count() == 14
    assert again.trainings.total == 10 and again.trainings.participants == 802
    assert again.consultations.total == Consultation.objects.filter(council=centre).count() == 53
    assert again.memoranda == 2
    assert not Consultation.objects.filter(council=centre).exclude(client_name="").exists()
    assert all(Training.objects.filter(council=centre).values_list("is_demo", flat=True))
    assert ran[-1] == ("zhaik-caspian", 2019)
    # Its page and report, in Kazakh.
    page = Client().get(reverse("reports:council", args=[centre.slug]).replace("/ru/", "/kk/"), {"year": "2019"})
    assert page.status_code == 200
    assert "Экологиялық ақпаратқа қол жеткізу" in page.content.decode()


def test_the_demo_centre_has_a_year_of_requests_and_an_eia_hearing_in_all_four_pillars():
    """Issue 18, item 5: the information requests (every honest state, a batch to the district akimats) and the
    EIA hearing with its documents, registrations and moderated, answered comments; all demo, the same after a
    second load, and no registrant's or commenter's name on the public pages."""
    from hearings.models import PublicHearing
    from monitoring.models import InformationRequest, InformationRequestBatch
    from participation.models import HearingDocument, HearingRegistration, PublicComment

    call_command("load_demo_aarhus")
    call_command("load_demo_aarhus")
    centre = Council.objects.get(slug="zhaik-caspian")
    stats = council_year_stats(council=centre, year=2019)

    requests = stats.information_requests
    assert requests.total == InformationRequest.objects.filter(council=centre).count() == 17
    assert {status: n for status, n in requests.by_status.items() if n} == {
        "answered": 9,
        "partial": 2,
        "refused": 1,
        "transferred": 1,
        "not_held": 1,
        "sent": 3,
    }
    assert requests.answered == 14
    assert requests.overdue == 2  # the district akimat that never answered, and the November request
    assert all(InformationRequest.objects.filter(council=centre).values_list("is_demo", flat=True))
    batch = InformationRequestBatch.objects.get(council=centre)
    assert batch.requests.count() == 7
    extended = InformationRequest.objects.get(council=centre, key="demo-city-odour")
    assert extended.extension_notice_on is not None

    hearing = PublicHearing.objects.get(council=centre, kind="eia")
    assert hearing.is_demo and hearing.record_published_on is not None
    assert HearingDocument.objects.filter(hearing=hearing).count() == 4
    assert HearingRegistration.objects.filter(hearing=hearing).count() == 14
    assert PublicComment.objects.filter(hearing=hearing).count() == 9
    participation = stats.participation
    assert (participation.comments_received, participation.comments_published) == (9, 7)
    assert (participation.comments_accepted, participation.comments_partly, participation.comments_rejected) == (
        3,
        2,
        2,
    )
    assert participation.registrations == 14
    # The other pillars keep their data.
    assert stats.consultations.total and stats.trainings.total and stats.library.total

    client = Client()
    for language in ("ru", "kk"):
        page = client.get(
            reverse("reports:council", args=[centre.slug]).replace("/ru/", f"/{language}/"), {"year": "2019"}
        )
        consultation = client.get(
            reverse("reports:hearing_consultation", args=[centre.slug, hearing.pk]).replace("/ru/", f"/{language}/")
        )
        for response in (page, consultation):
            assert response.status_code == 200
            text = response.content.decode()
            assert "(демо)" not in text.replace("ОО «Эко Атырау» (демо)", "")  # no demo person's name
            assert "example.org" not in text
    text = consultation.content.decode()
    assert "Житель Доссора" in text  # a published comment, under its pseudonym
    assert "Продаём фильтры" not in text  # one kept off the portal
    html = render_html(council=centre, year=2019, language="ru")
    assert "модернизация факельной системы" in html
    assert "Департамент экологии по Атырауской области" in html
