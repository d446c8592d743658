"""The workspace issue's journey in a real browser: the secretary records a monitoring event with a council member
and an outside participant, makes a recommendation from it to a state body, sends it and records the body's answer,
and the council's public figures follow; a secretary of another council can neither open nor change the event."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from councils.models import Affiliation, MemberRole, StateBody
from monitoring.models import MonitoringEvent, ParticipantKind, Recommendation, RecommendationStatus
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "not-a-real-password"  # the personas' password (tests/conftest.py)


def _ru_url(name: str, **kwargs) -> str:
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


def _sign_in(page, username: str) -> None:
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def _stats(page, year: int) -> dict:
    response = page.request.get(f"/api/v1/councils/almaty/stats/?year={year}")
    assert response.status == 200
    return response.json()


def test_secretary_records_monitoring_and_a_recommendation_answered_and_an_outsider_cannot_touch_it(
    personas, page, browser, live_server, shoot
):
    convocation = personas.council.convocations.get()
    member = f.MembershipFactory(
        convocation=convocation,
        affiliation=Affiliation.CIVIL_SOCIETY,
        role=MemberRole.MEMBER,
        person__full_name="Сагинтаева Айнур Болатовна",
    ).person
    state_body = StateBody.objects.create(
        slug="almaty-passenger-transport", name="Управление городской мобильности г. Алматы"
    )
    today = timezone.localdate()
    before = _stats(page, today.year)

    # 1. The secretary signs in and records a monitoring event with two participants.
    _sign_in(page, "secretary")
    page.goto(_ru_url("monitoring_ws:event_add", slug="almaty"))
    page.fill("#id_topic", "Мониторинг доступности остановок общественного транспорта")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_findings", "На 12 из 30 остановок нет пандусов; табло не работают.")
    page.fill("#id_recommendations_summary", "Оборудовать остановки пандусами.")
    page.select_option("#id_participants-0-person", str(member.pk))
    page.select_option("#id_participants-0-kind", ParticipantKind.MEMBER)
    page.fill("#id_participants-1-name", "Иванов И. И., ОО «Доступная среда»")
    page.select_option("#id_participants-1-kind", ParticipantKind.OUTSIDER)
    page.click("form.workspace-form button[type=submit]")
    page.wait_for_load_state()

    event = MonitoringEvent.objects.get(council=personas.council)
    assert page.url.endswith(_ru_url("monitoring_ws:event_detail", slug="almaty", pk=event.pk))
    participants = page.inner_text("ul.participants")
    assert "Сагинтаева Айнур Болатовна" in participants
    assert "Иванов И. И., ОО «Доступная среда»" in participants
    assert [(p.person_id, p.name, p.kind) for p in event.participants.order_by("position", "id")] == [
        (member.pk, "", ParticipantKind.MEMBER),
        (None, "Иванов И. И., ОО «Доступная среда»", ParticipantKind.OUTSIDER),
    ]
    shoot(page, "workspace-monitoring-event")

    # 2. From the event, a recommendation to the state body: saved as a draft with the event as its source.
    page.click("#add-recommendation")
    page.wait_for_load_state()
    assert page.locator("#id_source").input_value() == f"monitoring:{event.pk}"
    page.fill("#id_text", "Оборудовать пандусами все остановки на проспекте Абая до конца года.")
    page.select_option("#id_state_body", str(state_body.pk))
    page.click("form.workspace-form button[type=submit]")
    page.wait_for_load_state()
    recommendation = Recommendation.objects.get(council=personas.council)
    assert (recommendation.source, recommendation.state_body) == (event, state_body)
    assert recommendation.status == RecommendationStatus.DRAFT

    # 3. Sent, then the body's answer recorded, on the recommendation's page.
    def act(action: str, fill=None) -> None:
        box = page.locator(f"#action-{action}")
        box.locator("summary").click()
        if fill is not None:
            fill(box)
        box.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert not page.locator("#action-failed").count(), page.inner_text("#main")

    act("send")
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.SENT
    answer = "Пандусы будут установлены на 12 остановках до 1 декабря."
    act("respond", lambda box: box.locator("textarea[name=text]").fill(answer))
    assert answer in page.inner_text("#responses")
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.ANSWERED
    assert recommendation.responses.count() == 1
    status_label = page.inner_text("#item-status").strip()
    with translation.override("ru"):
        assert status_label == str(RecommendationStatus(recommendation.status).label)
    shoot(page, "workspace-recommendation-answered")

    # 4. The council's public figures follow.
    after = _stats(page, today.year)
    assert after["monitoring"]["total"] == before["monitoring"]["total"] + 1
    assert after["monitoring"]["by_month"][str(today.month)] == before["monitoring"]["by_month"][str(today.month)] + 1
    assert after["recommendations"]["total"] == before["recommendations"]["total"] + 1
    assert after["recommendations"]["answered"] == before["recommendations"]["answered"] + 1

    # The event's page lists the recommendation made from it.
    page.goto(_ru_url("monitoring_ws:event_detail", slug="almaty", pk=event.pk))
    assert "Оборудовать пандусами все остановки" in page.inner_text("ul.recommendations")

    # 5. The secretary of another council, in a browser of their own: the event is not there for them.
    outsider_context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        outsider = outsider_context.new_page()
        _sign_in(outsider, "other-secretary")
        detail = outsider.goto(_ru_url("monitoring_ws:event_detail", slug="almaty", pk=event.pk))
        assert detail.status == 404
        assert "Сагинтаева" not in outsider.content()

        # A CSRF token from a page of their own council, then a POST to the event's edit address: under the event's
        # council (the gate), and under their own council with the event's id (the lookup inside the council).
        outsider.goto(_ru_url("monitoring_ws:event_add", slug="karaganda"))
        token = outsider.locator("input[name=csrfmiddlewaretoken]").first.input_value()
        assert re.fullmatch(r"[A-Za-z0-9]{32,64}", token)
        form = {
            "csrfmiddlewaretoken": token,
            "topic": "Подменённая тема",
            "date": today.isoformat(),
            "date_precision": "day",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        }
        for slug in ("almaty", "karaganda"):
            edit = _ru_url("monitoring_ws:event_edit", slug=slug, pk=event.pk)
            response = outsider.request.post(edit, form=form, max_redirects=0)
            assert response.status in (403, 404), (slug, response.status)
        # The token was good: their own council's form takes the same POST.
        own = outsider.request.post(_ru_url("monitoring_ws:event_add", slug="karaganda"), form=form, max_redirects=0)
        assert own.status == 302
    finally:
        outsider_context.close()
    event.refresh_from_db()
    assert event.topic == "Мониторинг доступности остановок общественного транспорта"
    assert MonitoringEvent.objects.filter(council=personas.other_council).count() == 1
