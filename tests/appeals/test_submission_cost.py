"""What a submission costs the others: the rows every submission of a council's year shares are held as briefly as
possible, and the form's lists are not read from the database on every submission (issue #17)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appeals.categories import CategoryData, LocalityData, appeal_category_create, locality_create
from appeals.forms import PublicAppealForm
from appeals.models import Appeal, AppealStatusChange
from appeals.services import ApplicantData, appeal_submit
from core.outbox import OutboxMessage
from core.process_cache import clear

APPLICANT = ApplicantData(applicant_type="individual", name="Сейтказы Арман", email="arman@example.kz")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the id is taken ahead on PostgreSQL only")
@pytest.mark.django_db
def test_the_rows_every_submission_shares_are_written_last(personas):
    """The number's counter and the counts the appeals table's triggers keep are locked from their first write to
    the commit: after the counter only the appeal's row (which fires the triggers) and its history are written,
    so concurrent submissions of one council wait on each other for as short a time as can be."""
    with CaptureQueriesContext(connection) as captured:
        appeal, created = appeal_submit(
            council=personas.council,
            applicant=APPLICANT,
            category="ecology",
            subject="Свалка у реки",
            text="Свалка у реки растёт второй месяц.",
            personal_data_consent=True,
            submission_key="k1",
        )
    statements = [q["sql"] for q in captured.captured_queries]
    counter = next(i for i, sql in enumerate(statements) if "appeals_appealcounter" in sql)
    after = [sql.split("(")[0].strip() for sql in statements[counter + 1 :] if not sql.startswith("RELEASE")]
    assert after == ['INSERT INTO "appeals_appeal"', 'INSERT INTO "appeals_historicalappeal"']
    # Nothing was lost by writing the rest first: the history's first step and the mail point at the appeal.
    assert created and appeal.sequence == 1
    assert AppealStatusChange.objects.get(appeal=appeal).status == "registered"
    assert OutboxMessage.objects.get().kwargs == {"appeal_id": appeal.pk, "event": "registered"}
    assert Appeal.objects.get(pk=appeal.pk).number == appeal.number


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
