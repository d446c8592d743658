"""The Almaty demo's stakeholders and experts as the council's 2019 report describes them (core/demo.py's
"almaty" steps, run after `load_demo` imports the council-activity file): the organisations the council worked
with and its experts' part in its monitoring and hearings, marked demo, naming nobody real."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.demo import ALMATY, demo_steps, run_demo_steps
from councils.models import Council, ExpertAppointment, ExpertEngagement, Partner
from councils.plan import plan_record_kinds
from reports.selectors import council_year_stats
from stakeholders.models import Contact, ContactLogEntry, PartnerProfile
from stakeholders.selectors import media_contacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def almaty() -> Council:
    call_command("load_demo")
    data = json.loads((settings.BASE_DIR / "demo" / "almaty_2019.json").read_text(encoding="utf-8"))
    council = Council.objects.get(slug="almaty")
    assert [name for name, _step in demo_steps(ALMATY)] == ["experts", "stakeholders"]
    run_demo_steps(council=council, year=2019, data=data, demo=ALMATY)
    first = (
        Partner.objects.filter(council=council).count(),
        ContactLogEntry.objects.filter(partner__council=council).count(),
        ExpertEngagement.objects.filter(appointment__council=council).count(),
    )
    with CaptureQueriesContext(connection) as queries:
        run_demo_steps(council=council, year=2019, data=data, demo=ALMATY)  # again: nothing is written
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert first == (
        Partner.objects.filter(council=council).count(),
        ContactLogEntry.objects.filter(partner__council=council).count(),
        ExpertEngagement.objects.filter(appointment__council=council).count(),
    )
    return council


def test_the_organisations_the_report_names_are_in_the_registry_by_category(almaty):
    profiles = PartnerProfile.objects.filter(partner__council=almaty)
    categories = {p.partner.key: p.category for p in profiles.select_related("partner")}
    assert categories["public-defender"] == "ngo"
    assert categories["adaldyq-alany"] == "state"
    assert categories["almaty-mobility-department"] == "state"
    assert categories["almaty-spk"] == "quasi_state"
    assert categories["kipr-analytical-group"] == "ngo"
    assert categories["bilim-central-asia"] == "academia"
    assert categories["khabar-24"] == categories["zakon-kz"] == "media"
    # The state body heard most often (5 agenda items) was met at each of those meetings; the memoranda signed.
    mobility = Partner.objects.get(council=almaty, key="almaty-mobility-department")
    assert all(entry.record_kind == "meeting" for entry in mobility.stakeholder_log.all())
    assert ContactLogEntry.objects.filter(partner__council=almaty, kind="signed").count() == 3
    # The television that covered the monitoring of the «Южный» park (May 2019).
    khabar = ContactLogEntry.objects.get(partner__key="khabar-24", partner__council=almaty)
    event = plan_record_kinds()["monitoring_event"].model.objects.get(pk=khabar.record_id)
    assert (khabar.record_kind, event.key) == ("monitoring_event", "mon-05-1")


def test_the_media_group_reaches_only_fictional_newsrooms(almaty):
    contacts = Contact.objects.filter(partner__council=almaty)
    assert contacts.count() == 11
    assert all(c.email.endswith("@example.org") and "демонстрац" in c.full_name for c in contacts)
    assert set(media_contacts(council=almaty)) == set(contacts)


def test_the_experts_have_their_steps_areas_and_engagements_after_their_approval(almaty):
    experts = ExpertAppointment.objects.filter(council=almaty, status="approved")
    assert experts.count() == 3
    kinds = plan_record_kinds()
    for expert in experts:
        assert [d.status for d in expert.decisions.order_by("date", "id")] == ["candidate", "interviewed", "approved"]
        assert expert.areas.exists() and expert.region == "Алматы" and not expert.cv
        engagements = list(expert.engagements.all())
        assert engagements
        for engagement in engagements:
            kind = kinds[engagement.kind]
            day = kind.model.objects.filter(pk=engagement.object_id).values_list(kind.date_path, flat=True).get()
            assert day >= dt.date(2019, 5, 16)


def test_the_stats_count_them_and_the_reports_figures_still_hold(almaty):
    stats = council_year_stats(council=almaty, year=2019)
    assert (stats.experts.on_day, stats.experts.approved_in_year, stats.experts.engaged_in_year) == (3, 3, 3)
    assert stats.stakeholders.by_category["state"] > 0 and stats.stakeholders.by_category["media"] > 0
    assert stats.stakeholders.by_category["academia"] == 1
    assert stats.members["total"] == 37 and stats.monitoring.total == 18 and stats.hearings == 4
    assert stats.memoranda == 3
