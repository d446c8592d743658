"""What a submission costs the others: the rows every submission of a council's year shares are held as briefly as
possible, and the form's lists are not read from the database on every submission (issue #17)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.categories import CategoryData, LocalityData, appeal_category_create, locality_create
from appeals.forms import PublicAppealForm
from appeals.models import Appeal, AppealCounter, AppealStatusChange
from appeals.services import ApplicantData, appeal_submit
from core.outbox import OutboxMessage
from core.process_cache import clear
from councils.audit import HISTORY_MANAGER

APPLICANT = ApplicantData(applicant_type="individual", name="Сейтказы Арман", email="arman@example.kz")


def _submit(council, key, **fields):
    return appeal_submit(
        council=council,
        applicant=APPLICANT,
        category="ecology",
        subject=fields.pop("subject", "Свалка у реки"),
        text="Свалка у реки растёт второй месяц.",
        personal_data_consent=True,
        submission_key=key,
        **fields,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the id is taken ahead on PostgreSQL only")
@pytest.mark.django_db
def test_the_rows_every_submission_shares_are_written_last_in_one_statement(personas):
    """The number's counter and the counts the appeals table's triggers keep are locked from their first write to
    the commit: the counter, the appeal's row (which fires the triggers), its audit record, its first status and
    its mail are written by the submission's last statement, so concurrent submissions of one council wait on each
    other for one round trip and the commit. (It had been three statements with the ORM's work between them: 5 ms
    under load.)"""
    with CaptureQueriesContext(connection) as captured:
        appeal, created = _submit(personas.council, "k1")
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    shared = [i for i, sql in enumerate(statements) if "appeals_appealcounter" in sql]
    assert shared == [len(statements) - 1]
    last = statements[-1]
    for table in ("appeals_appeal", "appeals_historicalappeal", "appeals_appealstatuschange", "core_outboxmessage"):
        assert f'INSERT INTO "{table}"' in last
    assert not [sql for sql in statements[:-1] if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    # Nothing was lost by writing the rest first: the history's first step and the mail point at the appeal.
    assert created and appeal.sequence == 1
    assert AppealStatusChange.objects.get(appeal=appeal).status == "registered"
    assert OutboxMessage.objects.get().kwargs == {"appeal_id": appeal.pk, "event": "registered"}
    assert Appeal.objects.get(pk=appeal.pk).number == appeal.number == f"{personas.council.code}-{appeal.year}-000001"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")
@pytest.mark.django_db
def test_the_one_statement_writes_what_model_save_writes(personas, monkeypatch):
    """The statement builds the row from the fields as `Model.save` does; an appeal written by it and one written by
    `save` (the path SQLite takes) hold the same values, and so do their audit records and the instances."""
    import appeals.services as services

    one, _created = _submit(personas.council, "one", subject="Свалка у реки, 1")
    monkeypatch.setattr(services, "_reserve_appeal_id", lambda: None)  # save's path, as on SQLite
    two, _created = _submit(personas.council, "two", subject="Свалка у реки, 1")
    assert (one.sequence, two.sequence) == (1, 2)

    # What the two must not share: the number (and the search document holding it), the key, the times.
    differ = {"id", "number", "sequence", "search_document", "tracking_token", "submission_key", "registered_at"}
    every = [f.attname for f in Appeal._meta.concrete_fields]
    stored = {row["id"]: row for row in Appeal.objects.filter(pk__in=[one.pk, two.pk]).values(*every)}
    assert {f: stored[one.pk][f] for f in every if f not in differ} == {
        f: stored[two.pk][f] for f in every if f not in differ
    }
    for appeal in (one, two):  # the instance holds what the database stored and computed, as save leaves it
        assert {f: getattr(appeal, f) for f in every} == stored[appeal.pk]
        assert not appeal._state.adding

    history = getattr(Appeal, HISTORY_MANAGER).model
    audit = [f.attname for f in history._meta.concrete_fields if f.attname != "history_id"]
    records = {r["id"]: r for r in history.objects.filter(id__in=[one.pk, two.pk]).values(*audit)}
    assert records[one.pk]["history_type"] == "+" and records[one.pk]["history_user_id"] is None
    assert records[one.pk]["number"] == one.number
    assert {f: records[one.pk][f] for f in audit if f not in differ | {"history_date"}} == {
        f: records[two.pk][f] for f in audit if f not in differ | {"history_date"}
    }

    # The first status and the mail, written in the statement and by save.
    changes = AppealStatusChange.objects.filter(appeal__in=[one, two]).order_by("appeal_id")
    kept = ("status", "changed_by_id", "note", "visible_to_applicant")
    assert [tuple(getattr(c, f) for f in kept) for c in changes] == [("registered", None, "Веб-форма", False)] * 2
    messages = OutboxMessage.objects.order_by("id")
    assert [(m.target, m.kwargs, m.status, m.attempts) for m in messages] == [
        ("appeals.send_mail", {"appeal_id": appeal.pk, "event": "registered"}, "queued", 0) for appeal in (one, two)
    ]
    assert all(m.created_at and m.updated_at for m in messages)  # auto_now_add and auto_now filled, as save fills them


@pytest.mark.django_db
def test_a_number_past_999999_keeps_every_digit(personas):
    """Six digits at least: the millionth appeal of a year is -1000000, in the statement as in Python."""
    council = personas.council
    first, _created = _submit(council, "first")
    AppealCounter.objects.filter(council=council, year=first.year).update(last=999_999)
    appeal, _created = _submit(council, "millionth")
    assert appeal.sequence == 1_000_000
    assert appeal.number == Appeal.objects.get(pk=appeal.pk).number == f"{council.code}-{appeal.year}-1000000"


@pytest.mark.django_db(transaction=True)
def test_the_form_offers_a_category_or_locality_added_after_it_was_kept(personas, django_assert_num_queries):
    """The form's lists are kept in the process between submissions, and a council's edit of them shows at once."""
    clear()
    council = personas.council
    first = PublicAppealForm(council=council)
    assert "locality" not in first.fields
    with django_assert_num_queries(0):
        again = PublicAppealForm(council=council)
    assert again.fields["category"].choices == first.fields["category"].choices

    appeal_category_create(council=council, data=CategoryData(name_ru="Бродячие собаки", name_en="Stray dogs"))
    locality_create(council=council, data=LocalityData(name_ru="Бостандыкский район"))
    after = PublicAppealForm(council=council)
    assert "Бродячие собаки" in [name for _code, name in after.fields["category"].choices]
    assert [loc.name for loc in after.fields["locality"].queryset] == ["Бостандыкский район"]


@pytest.mark.django_db(transaction=True)
def test_a_councils_lists_are_read_once_and_an_edit_shows_at_once(personas, django_assert_num_queries):
    """A council's page read its categories and localities twice (for the counts, then for the names); they are
    kept in the process under the council's cache version, and an edit of either list shows at once."""
    from appeals.categories import council_categories, council_localities

    clear()
    council = personas.council
    council_categories(council=council)
    council_localities(council=council)
    with django_assert_num_queries(0):
        council_categories(council=council)
        assert council_localities(council=council, active_only=True) == []

    appeal_category_create(council=council, data=CategoryData(name_ru="Бродячие собаки", name_en="Stray dogs"))
    locality_create(council=council, data=LocalityData(name_ru="Бостандыкский район"))
    assert "Бродячие собаки" in [c.name_ru for c in council_categories(council=council)]
    assert [loc.name_ru for loc in council_localities(council=council, active_only=True)] == ["Бостандыкский район"]
