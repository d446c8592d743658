"""The audit trail: every edit keeps who and when (django-simple-history), and the council's chair and secretary
see the changes to their council's records, field by field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from councils.audit import audited_models, history_model
from councils.models import StaffRole
from councils.services import council_staff_grant
from monitoring import services
from monitoring.models import Recommendation
from tests import factories as f

pytestmark = pytest.mark.django_db


def _audit_url(council) -> str:
    with translation.override("en"):
        return reverse("workspace_audit", kwargs={"slug": council.slug})


def _recommendation(personas) -> Recommendation:
    return services.recommendation_create(
        council=personas.council,
        text="Старый текст",
        state_body=f.StateBodyFactory(),
        issued_on=dt.date(2025, 3, 17),
        by=personas.secretary,
    )


def test_every_audited_model_has_its_history():
    for audited in audited_models():
        assert history_model(audited)._meta.db_table.startswith(audited.label.split(".")[0] + "_historical")


def test_an_edit_in_the_workspace_appears_with_the_user_and_the_changed_field(personas):
    rec = _recommendation(personas)
    secretary = personas.client_for(personas.secretary)
    with translation.override("en"):
        edit = reverse("monitoring_ws:recommendation_edit", kwargs={"slug": personas.council.slug, "pk": rec.pk})
    response = secretary.post(edit, {"text": "Новый текст", "state_body": rec.state_body_id, "issued_on": "2025-03-17"})
    assert response.status_code == 302

    last = rec.audit_history.latest()
    assert (last.history_type, last.history_user) == ("~", personas.secretary)

    page = secretary.get(_audit_url(personas.council), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    entry = page.context["entries"][0]
    assert entry.user == personas.secretary
    assert entry.kind == "Recommendation"
    assert [(c.field, c.old, c.new) for c in entry.changes] == [("text", "Старый текст", "Новый текст")]
    html = page.content.decode()
    assert "Новый текст" in html and "secretary" in html


def test_the_chair_sees_it_members_get_403_and_other_councils_404(personas):
    chair = User.objects.create_user(username="chair", password="not-a-real-password")
    council_staff_grant(user=chair, council=personas.council, role=StaffRole.CHAIR)
    url = _audit_url(personas.council)
    assert personas.client_for(chair).get(url).status_code == 200
    assert personas.client_for(personas.member).get(url).status_code == 403
    assert personas.client_for(personas.other_secretary).get(url).status_code == 404


def test_another_councils_changes_are_not_shown(personas):
    services.recommendation_create(
        council=personas.other_council, text="Чужая", state_body=None, issued_on=dt.date(2025, 3, 17), by=None
    )
    _recommendation(personas)
    page = personas.client_for(personas.secretary).get(_audit_url(personas.council))
    labels = [e.label for e in page.context["entries"]]
    assert "Старый текст" in labels and "Чужая" not in labels


def test_the_audit_page_costs_the_same_queries_for_more_history(personas):
    client = personas.client_for(personas.secretary)
    url = _audit_url(personas.council) + "?kind=monitoring.Recommendation"
    rec = _recommendation(personas)
    rec.text = "Исправленный текст"
    rec.save()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        rec.text = f"Текст {i}"
        rec.save()
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    assert len(more) == len(few)
    assert len(page.context["entries"]) == 12  # created, corrected, ten edits


def test_the_audit_page_asks_once_for_the_newest_rows_of_every_kind(personas):
    """Some sixty kinds of record keep a trail; the page asked each in turn (65 queries, 200 ms at national scale,
    benchmarks/scale.py). Now one query finds the newest rows across all of them, then only the kinds among those
    are read: the same page for two kinds of record as for one."""
    client = personas.client_for(personas.secretary)
    url = _audit_url(personas.council)
    rec = _recommendation(personas)
    rec.text = "Исправленный текст"
    rec.save()
    with CaptureQueriesContext(connection) as one_kind:
        client.get(url)
    personas.council.name_en = "Public Council of Almaty"
    personas.council.save()
    with CaptureQueriesContext(connection) as two_kinds:
        page = client.get(url)
    assert len(audited_models()) > 40
    assert len(two_kinds) <= len(one_kind) + 1  # the council's own rows, read in one more query
    assert len(two_kinds) < 20
    entries = page.context["entries"]
    # Newest first across kinds, each change compared with the same record's previous version.
    assert [(e.kind, e.action) for e in entries[:3]] == [
        ("Council", "changed"),
        ("Recommendation", "changed"),
        ("Recommendation", "created"),
    ]
    assert ("name [en]", "Public Council of Almaty") in [(c.field, c.new) for c in entries[0].changes]
    assert [(c.field, c.old, c.new) for c in entries[1].changes] == [("text", "Старый текст", "Исправленный текст")]


def test_a_changed_relation_is_named_by_its_kind_and_its_records_in_the_pages_language(personas):
    # Field names Django made up from the attribute ("forwarded to") and bare ids ("— → 7") said nothing to a
    # secretary, in Kazakh least of all.
    from appeals.models import Appeal
    from councils.models import Body, Convocation, StateBody

    appeal = f.AppealFactory(council=personas.council)
    body = f.StateBodyFactory(name="Управление экологии")
    convocation = Convocation.objects.filter(council=personas.council).first()
    commission = f.BodyFactory(convocation=convocation, name="Комиссия по экологии")
    Appeal.objects.get(pk=appeal.pk).save()  # a version without the change, as an edit leaves
    appeal = Appeal.objects.get(pk=appeal.pk)
    appeal.forwarded_to, appeal.assigned_body = body, commission
    appeal.save()

    page = personas.client_for(personas.secretary).get(_audit_url(personas.council).replace("/en/", "/kk/"))

    changes = {change.field: (change.old, change.new) for change in page.context["entries"][0].changes}
    with translation.override("kk"):
        state_body, council_body = str(StateBody._meta.verbose_name), str(Body._meta.verbose_name)
    assert changes[state_body] == ("—", "Управление экологии")
    assert changes[council_body] == ("—", "Комиссия по экологии")
    assert "forwarded to" not in page.content.decode() and f"→ <ins>{body.pk}</ins>" not in page.content.decode()


def test_every_field_the_audit_page_can_list_has_a_translated_name():
    from django.utils.functional import Promise

    unnamed = {
        f"{audited.label}.{field.name}"
        for audited in audited_models()
        for field in history_model(audited).tracked_fields
        if not field.is_relation and not field.primary_key and not isinstance(field.verbose_name, Promise)
    }
    # Written once when the record is made, never changed: never listed among an edit's changes.
    assert unnamed == {"appeals.Appeal.submission_digest", "participation.HearingRegistration.token"}
