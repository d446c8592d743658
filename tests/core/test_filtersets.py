"""core/filtersets.py: each FilterSet gets filters of its own, copied shallowly from the class's."""

from __future__ import annotations

import pytest
from django.http import QueryDict

import tests.factories as f
from appeals.filters import OPEN, AppealFilter, appeals_for_inbox
from appeals.models import AppealStatus


@pytest.mark.django_db
def test_two_inboxes_built_side_by_side_keep_their_own_filters(personas):
    """Two councils' inboxes (two requests at once in one process): each filter set's filters, fields and
    methods are its own; the class's filters are left as they were."""
    ours, theirs = personas.council, personas.other_council
    f.BodyFactory(council=ours, name="Наша комиссия")
    f.BodyFactory(council=theirs, name="Их комиссия")
    base_extra = {name: dict(flt.extra) for name, flt in AppealFilter.base_filters.items()}
    first = AppealFilter(QueryDict("status=open"), queryset=appeals_for_inbox(council=ours), council=ours)
    second = AppealFilter(
        QueryDict(f"status={AppealStatus.CLOSED}"), queryset=appeals_for_inbox(council=theirs), council=theirs
    )
    for name in AppealFilter.base_filters:
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name] is not AppealFilter.base_filters[name]
        assert first.filters[name].extra is not AppealFilter.base_filters[name].extra
        assert first.filters[name].parent is first and second.filters[name].parent is second
    # A filter with a method calls its own filter set's, whichever was built last.
    assert first.filters["status"].filter.method.__self__ is first
    assert second.filters["status"].filter.method.__self__ is second
    assert "Наша комиссия" in first.form["assigned_body"].as_widget()
    assert "Их комиссия" not in first.form["assigned_body"].as_widget()
    assert "Их комиссия" in second.form["assigned_body"].as_widget()
    assert first.is_valid() and first.form.cleaned_data["status"] == OPEN
    first.filters["category"].extra["choices"] = [("x", "x")]
    assert {name: dict(flt.extra) for name, flt in AppealFilter.base_filters.items()} == base_extra
