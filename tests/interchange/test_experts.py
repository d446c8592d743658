"""The expert registry's public part in the council-activity file (format /4): areas of expertise, languages,
region and the records an expert worked on; the areas as a vocabulary; the public year file as the public registry
shows experts."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command

from councils.models import Council, ExpertAppointment, ExpertEngagement, ExpertiseArea, ExpertStatus
from interchange.open_data import council_year_file
from interchange.selectors import council_activity_dumps, council_activity_export
from interchange.services import CouncilActivityInvalid, council_activity_import
from interchange.validation import validate_council_activity
from monitoring.models import DraftActReview, MonitoringEvent
from tests import factories as f

from .conftest import SAMPLE_PATH, as_v3

pytestmark = pytest.mark.django_db

CV_SECRET = "cv-of-petrov"


def export(year: int = 2019) -> dict:
    return council_activity_export(council=Council.objects.get(slug="almaty"), year=year)


def _area(key: str, ru: str, kk: str = "", en: str = "") -> ExpertiseArea:
    area, _created = ExpertiseArea.objects.update_or_create(
        key=key, defaults={"name": ru, "name_ru": ru, "name_kk": kk, "name_en": en}
    )
    return area


def _registry_expert() -> ExpertAppointment:
    """The sample's expert with the registry's public part filled in, and what the public never sees."""
    expert = ExpertAppointment.objects.get(person__key="petrov-expert")
    expert.speaks_ru = expert.speaks_kk = True
    expert.other_languages = "немецкий"
    expert.region = "Алматы"
    expert.cv.name = f"councils/experts/cv/2019/{CV_SECRET}"
    expert.cv_public = True
    expert.consent_given_on = dt.date(2019, 5, 10)
    expert.save()
    expert.areas.set([_area("ecology-test", "Экология (тест)", "Экология (тест) kk", "Ecology (test)")])
    ExpertEngagement.objects.create(
        appointment=expert, kind="monitoring_event", object_id=MonitoringEvent.objects.get(key="mon-2019-04-air").pk
    )
    ExpertEngagement.objects.create(
        appointment=expert,
        kind="draft_review",
        object_id=DraftActReview.objects.get(key="npa-2019-001").pk,
        role="Заключение по проекту",
    )
    return expert


def test_an_expert_is_carried_with_areas_languages_region_and_engagements_never_consent_or_cv(sample):
    council_activity_import(data=sample)
    _registry_expert()

    data = export()

    (expert,) = data["experts"]
    assert "status" not in expert  # the registry's workflow: approved, or inactive once it ended
    assert expert["areas"] == ["ecology-test"]
    assert (expert["speaks_ru"], expert["speaks_kk"], "speaks_en" in expert) == (True, True, False)
    assert (expert["other_languages"], expert["region"]) == ("немецкий", "Алматы")
    assert expert["engagements"] == [
        {"record": {"type": "monitoring", "key": "mon-2019-04-air"}},
        {"record": {"type": "draft_review", "key": "npa-2019-001"}, "role": "Заключение по проекту"},
    ]
    assert data["expertise_areas"] == [
        {"key": "ecology-test", "name": "Экология (тест)", "name_kk": "Экология (тест) kk", "name_en": "Ecology (test)"}
    ]
    text = council_activity_dumps(data)
    assert "consent" not in text and CV_SECRET not in text and "cv_public" not in text
    assert validate_council_activity(data) == []


def test_an_engagement_in_a_record_of_another_year_carries_that_record(sample):
    council_activity_import(data=sample)
    expert = ExpertAppointment.objects.get(person__key="petrov-expert")
    older = f.MonitoringEventFactory(council=expert.council, key="mon-2018-water", date=dt.date(2018, 11, 2))
    ExpertEngagement.objects.create(appointment=expert, kind="monitoring_event", object_id=older.pk)

    data = export()

    assert data["experts"][0]["engagements"] == [{"record": {"type": "monitoring", "key": "mon-2018-water"}}]
    assert "mon-2018-water" in [event["key"] for event in data["monitoring"]]
    assert validate_council_activity(data) == []


def test_a_council_whose_experts_name_no_area_exports_no_list_of_areas(sample):
    council_activity_import(data=sample)

    assert "expertise_areas" not in export()


@pytest.mark.django_db(transaction=True)
def test_experts_round_trip_through_an_empty_database_byte_identically(sample):
    council_activity_import(data=sample)
    _registry_expert()
    ended = f.ExpertAppointmentFactory(
        council=Council.objects.get(slug="almaty"),
        person__key="inactive-expert",
        start_date=dt.date(2018, 3, 1),
        end_date=dt.date(2019, 6, 1),
        status=ExpertStatus.INACTIVE,
        speaks_en=True,
    )
    ended.areas.set([_area("budget-test", "Бюджет (тест)")])
    first = council_activity_dumps(export())

    call_command("flush", interactive=False)
    council_activity_import(data=json.loads(first))

    assert council_activity_dumps(export()) == first
    expert = ExpertAppointment.objects.get(person__key="petrov-expert")
    assert [a.key for a in expert.areas.all()] == ["ecology-test"]
    assert sorted(expert.engagements.values_list("kind", flat=True)) == ["draft_review", "monitoring_event"]
    assert ExpertAppointment.objects.get(person__key="inactive-expert").status == ExpertStatus.INACTIVE
    assert ExpertiseArea.objects.get(key="ecology-test").name_en == "Ecology (test)"


def test_an_area_the_portal_has_keeps_its_names(sample):
    council_activity_import(data=sample)
    _registry_expert()
    data = export()
    data["expertise_areas"][0]["name"] = "Переименовано"

    summary = council_activity_import(data=data)

    assert ExpertiseArea.objects.get(key="ecology-test").name_ru == "Экология (тест)"
    assert summary.counts["expertise_areas"].unchanged == 1


def test_a_version_4_file_written_before_the_registry_imports_as_its_defaults_and_keeps_the_status(sample):
    council_activity_import(data=sample)
    expert = _registry_expert()
    old = copy.deepcopy(sample)  # the /4 file as written before: an expert's person, dates, field and decision only
    assert set(old["experts"][0]) <= {"person", "start_date", "end_date", "field", "decision"}
    ExpertAppointment.objects.filter(pk=expert.pk).update(status=ExpertStatus.INACTIVE, end_date=dt.date(2019, 12, 1))
    old["experts"][0]["end_date"] = "2019-12-01"

    council_activity_import(data=old)

    expert.refresh_from_db()
    assert expert.status == ExpertStatus.INACTIVE  # not in the file: never made approved again by an import
    # Absent means the default: no languages, region, areas or engagements.
    assert (expert.speaks_ru, expert.region, expert.areas.count(), expert.engagements.count()) == (False, "", 0, 0)


def test_a_version_3_file_leaves_the_registry_s_public_part_as_it_is(sample):
    council_activity_import(data=sample)
    expert = _registry_expert()

    council_activity_import(data=as_v3(json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))))

    expert.refresh_from_db()
    assert (expert.speaks_ru, expert.region, expert.areas.count(), expert.engagements.count()) == (True, "Алматы", 1, 2)


@pytest.mark.django_db(transaction=True)
def test_a_version_4_file_written_before_the_registry_imports_into_an_empty_portal(sample):
    old = copy.deepcopy(sample)
    old["experts"][0]["end_date"] = "2019-12-01"

    council_activity_import(data=old)

    expert = ExpertAppointment.objects.get(person__key="petrov-expert")
    assert expert.status == ExpertStatus.INACTIVE and expert.consent_given_on == expert.start_date


def test_a_record_an_expert_worked_on_named_twice_is_refused_at_its_path(sample):
    council_activity_import(data=sample)
    _registry_expert()
    data = export()
    data["experts"][0]["engagements"].append(copy.deepcopy(data["experts"][0]["engagements"][0]))

    with pytest.raises(CouncilActivityInvalid) as refused:
        council_activity_import(data=data)

    assert [issue.path for issue in refused.value.issues] == ["$.experts[0].engagements[2].record"]


def test_the_public_year_file_lists_experts_as_the_public_registry_shows_them(sample):
    council_activity_import(data=sample)
    council = Council.objects.get(slug="almaty")
    council.is_published = True
    council.save()
    _registry_expert()
    withdrawn = f.ExpertAppointmentFactory(
        council=council, person__key="withdrawn-expert", consent_withdrawn_on=dt.date(2019, 8, 1)
    )
    withdrawn.areas.set([_area("withdrawn-area", "Скрытая область")])
    inactive = f.ExpertAppointmentFactory(
        council=council,
        person__key="inactive-expert",
        start_date=dt.date(2019, 1, 10),
        end_date=dt.date(2019, 3, 1),
        status=ExpertStatus.INACTIVE,
    )
    inactive.areas.set([_area("inactive-area", "Прошлая область")])
    f.ExpertAppointmentFactory(council=council, person__key="candidate-expert", status=ExpertStatus.CANDIDATE)
    staff = export()
    assert [e["person"] for e in staff["experts"]] == ["inactive-expert", "petrov-expert", "withdrawn-expert"]

    published = json.loads(council_year_file(council, 2019).content)

    (expert,) = published["experts"]
    assert expert["person"] == "petrov-expert" and expert["areas"] == ["ecology-test"]
    assert expert["region"] == "Алматы" and len(expert["engagements"]) == 2
    assert [area["key"] for area in published["expertise_areas"]] == ["ecology-test"]
    text = json.dumps(published, ensure_ascii=False)
    assert "withdrawn-expert" not in text and "candidate-expert" not in text and "Скрытая область" not in text
    assert "consent" not in text and CV_SECRET not in text
    assert validate_council_activity(published) == []
