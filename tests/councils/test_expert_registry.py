"""Issue 20, item 4: the expert registry on councils.ExpertAppointment.

The status flow with its decisions, consent and its withdrawal (which hides the expert from every public page,
list, file and API), the search across councils for staff and the public's search, the CV checked by its content
and kept for the staff unless the expert agrees, and experts counted apart from the members."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from councils import expert_services as services
from councils.expert_selectors import public_experts, search_experts, staff_expert_search
from councils.models import ExpertAppointment, ExpertiseArea, ExpertStatus
from councils.selectors import experts_on
from reports.annual import annual_report_context
from reports.selectors import council_year_stats
from tests import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
PDF = b"%PDF-1.4\n%%EOF\n"
CONSENTED = D(2019, 3, 1)


def _pdf(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _candidate(council, name: str = "Кандидат Экологов", *, areas=(), consent: dt.date | None = None, **profile):
    return services.expert_candidate_record(
        council=council,
        data=services.ExpertCandidateData(
            recorded_on=D(2019, 3, 1),
            full_name=name,
            consent_given_on=consent,
            profile=services.ExpertProfileData(areas=[ExpertiseArea.objects.get(key=k) for k in areas], **profile),
        ),
    )


def _step(expert: ExpertAppointment, status: str, day: dt.date, text: str = "") -> ExpertAppointment:
    services.expert_decide(appointment=expert, data=services.ExpertDecisionData(status=status, date=day, text=text))
    return ExpertAppointment.objects.get(pk=expert.pk)


def _approved(council, name: str, *, areas=("ecology",), consent: dt.date | None = CONSENTED, **profile):
    expert = _candidate(council, name, areas=areas, consent=consent, **profile)
    expert = _step(expert, ExpertStatus.INTERVIEWED, D(2019, 4, 10), "Собеседование на заседании Президиума")
    return _step(expert, ExpertStatus.APPROVED, D(2019, 5, 16), "Протокол заседания Совета от 16.05.2019 № 3")


# ---- the status flow -------------------------------------------------------------------------------------------


def test_an_expert_goes_from_candidate_to_inactive_with_a_decision_at_each_step(personas):
    expert = _candidate(personas.council, areas=("ecology",))
    assert expert.status == ExpertStatus.CANDIDATE
    expert = _step(expert, ExpertStatus.INTERVIEWED, D(2019, 4, 10), "Собеседование")
    expert = _step(expert, ExpertStatus.APPROVED, D(2019, 5, 16), "Протокол № 3")
    # Approval makes the decision's day the start and its words the appointment's decision.
    assert (expert.start_date, expert.decision, expert.end_date) == (D(2019, 5, 16), "Протокол № 3", None)
    expert = _step(expert, ExpertStatus.INACTIVE, D(2020, 2, 1), "По собственному желанию")
    assert (expert.status, expert.end_date) == (ExpertStatus.INACTIVE, D(2020, 2, 1))

    history = [(d.status, d.date, d.text) for d in expert.decisions.order_by("date", "id")]
    assert history == [
        ("candidate", D(2019, 3, 1), ""),
        ("interviewed", D(2019, 4, 10), "Собеседование"),
        ("approved", D(2019, 5, 16), "Протокол № 3"),
        ("inactive", D(2020, 2, 1), "По собственному желанию"),
    ]
    # The audit trail has every change of the record too.
    assert expert.audit_history.count() >= 4


def test_a_step_out_of_order_or_back_in_time_is_refused(personas):
    expert = _candidate(personas.council)
    with pytest.raises(ValidationError) as skipped:
        _step(expert, ExpertStatus.APPROVED, D(2019, 5, 16))  # no interview yet
    assert "status" in skipped.value.error_dict
    with pytest.raises(ValidationError) as early:
        _step(expert, ExpertStatus.INTERVIEWED, D(2019, 2, 1))  # before the candidacy
    assert "date" in early.value.error_dict
    declined = _step(expert, ExpertStatus.DECLINED, D(2019, 4, 1), "Не прошёл собеседование")
    with pytest.raises(ValidationError):
        _step(declined, ExpertStatus.APPROVED, D(2019, 5, 1))


def test_only_approved_experts_are_the_councils_experts_on_a_day(personas):
    council = personas.council
    approved = _approved(council, "Утверждённый Эксперт")
    _candidate(council, "Просто Кандидат")
    interviewed = _step(_candidate(council, "Собеседованный"), ExpertStatus.INTERVIEWED, D(2019, 4, 1))
    _step(interviewed, ExpertStatus.DECLINED, D(2019, 4, 2))
    assert [e.pk for e in experts_on(council=council, day=D(2019, 12, 31))] == [approved.pk]
    # Before the approval the expert was not one yet.
    assert experts_on(council=council, day=D(2019, 5, 1)) == []


# ---- counted apart from the members --------------------------------------------------------------------------


def test_experts_are_counted_apart_from_members_in_the_stats_api_and_on_the_composition_page(personas):
    council = personas.council
    council.is_published = True
    council.save()
    f.MembershipFactory.create_batch(2, convocation=council.convocations.get())
    first = _approved(council, "Эксперт Первый")
    _approved(council, "Эксперт Без Согласия", consent=None)  # counted, never named
    _candidate(council, "Кандидат Не Считается")
    # Engaged in the year: a monitoring event of 2019 counts, one of 2020 does not, twice is once.
    for day in (D(2019, 6, 1), D(2019, 9, 1), D(2020, 2, 1)):
        event = f.MonitoringEventFactory(council=council, date=day)
        services.expert_engagement_add(appointment=first, kind="monitoring_event", object_id=event.pk)

    stats = council_year_stats(council=council, year=2019)
    assert stats.members["total"] == 2
    assert (stats.experts.on_day, stats.experts.approved_in_year, stats.experts.engaged_in_year) == (2, 2, 1)
    assert council_year_stats(council=council, year=2019, as_of=D(2019, 5, 31)).experts.engaged_in_year == 0

    cache.clear()
    api = Client().get(f"/api/v1/councils/{council.slug}/stats/", {"year": "2019"}).json()
    assert api["members"]["total"] == 2
    assert api["experts"] == {"on_day": 2, "approved_in_year": 2, "engaged_in_year": 1}

    page = Client().get(f"/ru/councils/{council.slug}/composition/", {"year": "2019"})
    assert page.context["page"]["composition"].counts["total"] == 2
    assert page.context["page"]["experts_count"] == 2
    html = page.content.decode()
    assert "Эксперт Первый" in html
    assert "Эксперт Без Согласия" not in html
    assert "Кандидат Не Считается" not in html

    report = annual_report_context(council=council, year=2019)
    assert report["composition"].counts["total"] == 2
    assert len(report["experts"]) == 2
    assert [e.person.full_name for e in report["public_experts"]] == ["Эксперт Первый"]
    assert report["stats"].experts.engaged_in_year == 1


# ---- consent ---------------------------------------------------------------------------------------------------


@pytest.fixture
def published_world(personas):
    """A published council with an approved, consenting expert in a commission who took part in a monitoring
    event, a hearing and a draft review."""
    council = personas.council
    council.is_published = True
    council.save()
    convocation = council.convocations.get()
    body = f.BodyFactory(council=council, convocation=convocation)
    f.MembershipFactory(convocation=convocation, person__full_name="Член Совета")
    expert = _approved(council, "Эксперт Отзывающий", region="Алматы")
    f.BodyMembershipFactory(body=body, person=expert.person, start_date=D(2019, 5, 16))
    event = f.MonitoringEventFactory(council=council, date=D(2019, 6, 1))
    hearing = f.PublicHearingFactory(council=council, date=D(2019, 7, 1))
    draft = f.DraftActReviewFactory(council=council)
    for kind, record in (("monitoring_event", event), ("hearing", hearing), ("draft_review", draft)):
        services.expert_engagement_add(appointment=expert, kind=kind, object_id=record.pk, role="эколог")
    return council, expert, {"event": event, "hearing": hearing, "draft": draft}


def _public_addresses(council, expert, records) -> list[tuple[str, dict[str, str]]]:
    slug = council.slug
    return [
        (f"/ru/councils/{slug}/composition/", {"year": "2019"}),
        (f"/kk/councils/{slug}/composition/", {"year": "2019"}),
        (f"/ru/councils/{slug}/experts/", {}),
        (f"/en/councils/{slug}/experts/", {"q": "эколог"}),
        ("/ru/experts/", {"q": "эколог"}),
        (f"/ru/councils/{slug}/monitoring/{records['event'].pk}/", {}),
        (f"/ru/councils/{slug}/hearings/{records['hearing'].pk}/", {}),
        (f"/ru/councils/{slug}/draft-reviews/{records['draft'].pk}/consultation/", {}),
        ("/api/v1/experts/", {}),
        ("/api/v1/people/", {}),
        ("/api/v1/bodies/", {}),
        (f"/open-data/{slug}/2019.json", {}),
        (f"/open-data/{slug}/2019.popolo.json", {}),
    ]


def test_a_consenting_expert_is_shown_on_the_public_pages_and_a_withdrawal_hides_them_everywhere(published_world):
    council, expert, records = published_world
    addresses = _public_addresses(council, expert, records)
    client = Client()

    cache.clear()
    for path, query in addresses:
        response = client.get(path, query)
        assert response.status_code == 200, path
        assert "Эксперт Отзывающий" in response.content.decode(), path
    profile = reverse("reports:expert", kwargs={"slug": council.slug, "pk": expert.pk})
    assert client.get(profile).status_code == 200

    services.expert_consent_withdraw(appointment=expert, withdrawn_on=D(2020, 1, 10))

    # No cache.clear(): the withdrawal itself leaves the cached pages behind.
    for path, query in addresses:
        response = client.get(path, query)
        assert response.status_code == 200, path
        assert "Эксперт Отзывающий" not in response.content.decode(), path
    assert client.get(profile).status_code == 404
    assert client.get(f"/api/v1/experts/{expert.pk}/").status_code == 404
    # The report is public: it counts the expert and names no one.
    report = annual_report_context(council=council, year=2019)
    assert (len(report["experts"]), report["public_experts"]) == (1, [])
    # The staff still see the record, with the withdrawal dated.
    expert.refresh_from_db()
    assert (expert.consent_withdrawn_on, expert.status) == (D(2020, 1, 10), ExpertStatus.APPROVED)


def test_an_expert_without_consent_is_never_published(personas):
    council = personas.council
    council.is_published = True
    council.save()
    expert = _approved(council, "Эксперт Молчащий", consent=None)
    cache.clear()
    assert list(public_experts()) == []
    assert Client().get(f"/ru/councils/{council.slug}/experts/{expert.pk}/").status_code == 404
    assert "Эксперт Молчащий" not in Client().get("/api/v1/people/").content.decode()
    services.expert_consent_record(appointment=expert, given_on=D(2019, 6, 1))
    assert [e.pk for e in public_experts()] == [expert.pk]


def test_consent_cannot_be_withdrawn_twice_or_before_it_was_given(personas):
    expert = _approved(personas.council, "Эксперт Дважды")
    with pytest.raises(ValidationError):
        services.expert_consent_withdraw(appointment=expert, withdrawn_on=D(2019, 1, 1))
    services.expert_consent_withdraw(appointment=expert, withdrawn_on=D(2019, 7, 1))
    with pytest.raises(ValidationError):
        services.expert_consent_withdraw(appointment=expert, withdrawn_on=D(2019, 8, 1))


# ---- search ----------------------------------------------------------------------------------------------------


def test_staff_search_across_councils_finds_approved_experts_by_area_and_never_anothers_candidates(personas):
    ecologist = _approved(personas.other_council, "Эколог Карагандинский", areas=("ecology",))
    planner = _approved(personas.other_council, "Планировщик Карагандинский", areas=("urban-planning",))
    _candidate(personas.other_council, "Кандидат Чужой Эколог", areas=("ecology",))
    own_candidate = _candidate(personas.council, "Кандидат Свой Эколог", areas=("ecology",))

    found = staff_expert_search(council=personas.council, text="эколог")
    assert {e.pk for e in found} == {ecologist.pk, own_candidate.pk}
    # «градостроитель» finds «Градостроительство и архитектура» (the Russian stems differ: a prefix search).
    assert [e.pk for e in staff_expert_search(council=personas.council, text="градостроитель")] == [planner.pk]
    # In Kazakh, as written: «Қала құрылысы және сәулет».
    assert [e.pk for e in staff_expert_search(council=personas.council, text="сәулет")] == [planner.pk]


def test_the_workspace_search_shows_other_councils_experts_to_any_councils_staff(personas):
    _approved(personas.other_council, "Эколог Карагандинский", areas=("ecology",))
    client = personas.client_for(personas.member)  # read-only staff may search
    response = client.get(
        reverse("councils_ws:expert_search", kwargs={"slug": personas.council.slug}), {"q": "экология"}
    )
    assert response.status_code == 200
    assert "Эколог Карагандинский" in response.content.decode()


def test_the_public_search_covers_only_approved_consenting_experts(personas):
    for council in (personas.council, personas.other_council):
        council.is_published = True
        council.save()
    shown = _approved(personas.council, "Эколог Публичный", areas=("ecology",))
    _approved(personas.other_council, "Эколог Без Согласия", areas=("ecology",), consent=None)
    _candidate(personas.other_council, "Эколог Кандидат", areas=("ecology",), consent=D(2019, 3, 1))
    assert [e.pk for e in search_experts(public_experts(), "эколог")] == [shown.pk]
    html = Client().get("/ru/experts/", {"q": "эколог"}).content.decode()
    assert "Эколог Публичный" in html
    assert "Эколог Без Согласия" not in html and "Эколог Кандидат" not in html
    api = Client().get("/api/v1/experts/", {"area": "ecology", "format": "json"}).json()
    assert [row["full_name"] for row in api["results"]] == ["Эколог Публичный"]
    assert api["results"][0]["areas"][0]["name_kk"] == "Экология"
    assert api["results"][0]["cv_url"] is None


# ---- the CV ----------------------------------------------------------------------------------------------------


def test_a_cv_is_checked_by_its_content_not_its_name(personas):
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        _candidate(personas.council, cv=fake)
    assert "cv" in refused.value.error_dict
    assert not ExpertAppointment.objects.exists()


def test_the_cv_is_for_the_staff_unless_the_expert_agrees_to_publish_it(personas):
    council = personas.council
    council.is_published = True
    council.save()
    expert = _approved(council, "Эксперт С Резюме", cv=_pdf())
    public_cv = f"/ru/councils/{council.slug}/experts/{expert.pk}/cv/"
    staff_cv = reverse("councils_ws:expert_cv", kwargs={"slug": council.slug, "pk": expert.pk})

    assert Client().get(public_cv).status_code == 404
    staff = personas.client_for(personas.member).get(staff_cv)
    assert staff.status_code == 200
    assert b"".join(staff.streaming_content).startswith(b"%PDF")
    assert "no-store" in staff["Cache-Control"]
    assert personas.client_for(personas.other_secretary).get(staff_cv).status_code == 404

    services.expert_profile_update(
        appointment=expert, data=services.ExpertProfileData(areas=list(expert.areas.all()), cv_public=True)
    )
    assert Client().get(public_cv).status_code == 200
    cache.clear()
    api = Client().get("/api/v1/experts/", {"format": "json"}).json()
    assert api["results"][0]["cv_url"].endswith(f"/councils/{council.slug}/experts/{expert.pk}/cv/")
    # A withdrawal takes the CV down with the rest.
    services.expert_consent_withdraw(appointment=expert, withdrawn_on=D(2020, 1, 1))
    assert Client().get(public_cv).status_code == 404


# ---- the workspace ---------------------------------------------------------------------------------------------


def test_the_secretary_records_a_candidate_and_takes_the_steps_in_the_workspace(personas):
    council = personas.council
    client = personas.client_for(personas.secretary)
    response = client.post(
        reverse("councils_ws:expert_add", kwargs={"slug": council.slug}),
        {
            "full_name": "Градостроитель Новый",
            "recorded_on": "2019-03-01",
            "areas": [ExpertiseArea.objects.get(key="urban-planning").pk],
            "speaks_ru": "on",
            "speaks_kk": "on",
            "region": "Алматы",
            "cv": _pdf(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    expert = ExpertAppointment.objects.get(person__full_name="Градостроитель Новый")
    assert (expert.status, expert.languages, bool(expert.cv)) == ("candidate", ["ru", "kk"], True)
    page = reverse("councils_ws:expert", kwargs={"slug": council.slug, "pk": expert.pk})
    for status, day in (("interviewed", "2019-04-10"), ("approved", "2019-05-16")):
        response = client.post(
            page, {"status": status, "date": day, "text": f"Решение {status}", "document": _pdf("protocol.pdf")}
        )
        assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.status, expert.start_date) == ("approved", D(2019, 5, 16))
    approval = expert.decisions.get(status="approved")
    document = client.get(
        reverse("councils_ws:expert_decision_document", kwargs={"slug": council.slug, "pk": approval.pk})
    )
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    assert expert.decision_file.name == approval.document.name
    detail = client.get(page).content.decode()
    assert "Решение interviewed" in detail and "Решение approved" in detail
    # A step the registry does not allow is not offered, and posting it is refused beside the field.
    refused = client.post(page, {"status": "candidate", "date": "2019-06-01"})
    assert refused.status_code == 400

    consent = reverse("councils_ws:expert_consent", kwargs={"slug": council.slug, "pk": expert.pk})
    assert client.post(consent, {"day": "2019-05-20"}).status_code == 302
    assert client.post(consent, {"day": "2020-01-10"}).status_code == 302
    expert.refresh_from_db()
    assert (expert.consent_given_on, expert.consent_withdrawn_on) == (D(2019, 5, 20), D(2020, 1, 10))

    export = client.get(reverse("councils_ws:experts", kwargs={"slug": council.slug}), {"format": "csv"})
    assert "Градостроитель Новый" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_read_only_staff_cannot_write_and_another_council_sees_nothing(personas):
    expert = _approved(personas.council, "Эксперт Чужой")
    page = reverse("councils_ws:expert", kwargs={"slug": personas.council.slug, "pk": expert.pk})
    member = personas.client_for(personas.member)
    assert member.get(page).status_code == 200
    assert member.post(page, {"status": "inactive", "date": "2020-01-01"}).status_code == 403
    assert personas.client_for(personas.other_secretary).get(page).status_code == 404
    other_page = reverse("councils_ws:expert", kwargs={"slug": personas.other_council.slug, "pk": expert.pk})
    assert personas.client_for(personas.other_secretary).get(other_page).status_code == 404


def test_an_expert_takes_part_only_in_records_of_the_own_council(personas):
    expert = _approved(personas.council, "Эксперт Участник")
    foreign = f.MonitoringEventFactory(council=personas.other_council)
    with pytest.raises(ValidationError):
        services.expert_engagement_add(appointment=expert, kind="monitoring_event", object_id=foreign.pk)
    meeting = f.MeetingFactory(council=personas.council)
    with pytest.raises(ValidationError):
        services.expert_engagement_add(appointment=expert, kind="meeting", object_id=meeting.pk)
    candidate = _candidate(personas.council, "Кандидат Участник")
    own = f.MonitoringEventFactory(council=personas.council)
    with pytest.raises(ValidationError):
        services.expert_engagement_add(appointment=candidate, kind="monitoring_event", object_id=own.pk)


def test_the_council_activity_file_lists_approved_experts_only(personas):
    from interchange.selectors import council_activity_export

    council = personas.council
    f.MembershipFactory(convocation=council.convocations.get())
    approved = _approved(council, "Эксперт В Файле")
    _candidate(council, "Кандидат Не В Файле")
    data = council_activity_export(council=council, year=2019)
    assert [e["person"] for e in data["experts"]] == [approved.person.key]
    json.dumps(data, default=str)


def test_the_unlink_button_removes_an_engagement_and_a_stray_post_removes_nothing(personas):
    expert = _approved(personas.council, "Эксперт Отвязываемый")
    event = f.MonitoringEventFactory(council=personas.council)
    engagement = services.expert_engagement_add(appointment=expert, kind="monitoring_event", object_id=event.pk)
    url = reverse("councils_ws:expert_disengage", kwargs={"slug": personas.council.slug, "pk": engagement.pk})
    page = reverse("councils_ws:expert", kwargs={"slug": personas.council.slug, "pk": expert.pk})
    assert personas.client_for(personas.member).post(url, {"engagement": engagement.pk}).status_code == 403
    assert personas.client_for(personas.other_secretary).post(url, {"engagement": engagement.pk}).status_code == 404
    client = personas.client_for(personas.secretary)
    stray = client.post(url, follow=True)
    assert stray.redirect_chain[-1][0] == page
    assert expert.engagements.filter(pk=engagement.pk).exists()
    assert client.post(url, {"engagement": engagement.pk}).url == page
    assert not expert.engagements.filter(pk=engagement.pk).exists()
    assert client.get(url).status_code == 405


def test_an_experts_languages_read_as_a_list(personas):
    """Tried on a phone in Kazakh: «Орыс тілі Қазақ тілі», the languages run together with no separator."""
    personas.council.is_published = True
    personas.council.save()
    _approved(personas.council, "Полиглот Экспертов", speaks_ru=True, speaks_kk=True, other_languages="немецкий")
    cache.clear()
    html = Client().get(f"/kk/councils/{personas.council.slug}/experts/").content.decode()
    assert '<span class="lang">Орыс тілі</span>, <span class="lang">Қазақ тілі</span>, <span' in html
