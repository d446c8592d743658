"""core/widgets.py: QuickSelect writes, byte for byte, what Django's Select writes through its templates."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import tests.factories as f
from appeals.filters import AppealFilter, appeals_for_inbox
from appeals.models import Locality
from core.widgets import QuickSelect
from privacy.forms import DataRequestForm

CHOICES = [
    ("", "---------"),
    ("a", "Alpha & <b>"),
    ("b", 'Beta "quoted"'),
    ("Group <g>", [("c", "C"), ("d", "D")]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", ["", "a", "c", 3, None, ["b"], "missing"])
@pytest.mark.parametrize("attrs", [None, {"class": "x", "required": True, "disabled": False, "data-x": '<y "z">'}])
def test_the_same_html_as_djangos_select(value, attrs):
    assert QuickSelect(choices=CHOICES).render("f", value, attrs=attrs) == forms.Select(choices=CHOICES).render(
        "f", value, attrs=attrs
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_every_select_list_of_the_inbox_is_written_as_django_writes_it(personas, language):
    council = personas.council
    Locality.objects.create(council=council, code="medeu", name_ru="Медеуский район", name_kk="Медеу ауданы")
    body = f.BodyFactory(council=council)
    query = QueryDict(f"status=open&locality=medeu&assigned_body={body.pk}&sort=-registered&category=ecology")
    with translation.override(language):
        form = AppealFilter(query, queryset=appeals_for_inbox(council=council), council=council).form
        quick = [name for name, field in form.fields.items() if isinstance(field.widget, QuickSelect)]
        assert len(quick) == 10
        for name in quick:
            bound = form[name]
            widget = form.fields[name].widget
            django_select = forms.Select(attrs=widget.attrs, choices=widget.choices)
            assert bound.as_widget() == bound.as_widget(widget=django_select), name
        assert 'value="medeu" selected' in form["locality"].as_widget()


@pytest.mark.django_db
def test_the_inbox_draws_the_records_its_fields_accept_each_read_once(personas):
    """The commission, district and assignee lists are drawn from lists read once each (not through Django's
    server-side cursor, three round trips each): the same values and labels, in the same order, as the fields'
    querysets give, which check the value chosen."""
    council = personas.council
    Locality.objects.create(council=council, code="medeu", name_ru="Медеуский район", position=2)
    Locality.objects.create(council=council, code="almaly", name_ru="Алмалинский район", position=1, is_active=False)
    f.BodyFactory(council=council, name="Комиссия по экологии")
    f.BodyFactory(council=personas.other_council, name="Чужая комиссия")
    personas.secretary.first_name, personas.secretary.last_name = "Айгерим", "Сапарова"
    personas.secretary.save()
    names = ("assigned_body", "locality", "assignee")
    form = AppealFilter(QueryDict(""), queryset=appeals_for_inbox(council=council), council=council).form
    with CaptureQueriesContext(connection) as captured:
        drawn = {name: form[name].as_widget() for name in names}
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in captured.captured_queries]
    assert not [query for query in captured.captured_queries if "CURSOR" in query["sql"]]
    assert len(tables) == len(set(tables)) <= 3, tables
    for name in names:
        field = form.fields[name]
        listed = [(str(value), str(label)) for value, label in field.widget.choices]
        accepted = [(str(value), str(label)) for value, label in field.choices]
        assert listed == accepted, name
        assert len(listed) > 1, name
    assert [label for _value, label in form.fields["locality"].widget.choices][1:] == [
        "Алмалинский район",
        "Медеуский район",
    ]
    assert "Айгерим Сапарова" in drawn["assignee"]
    assert "Комиссия по экологии" in drawn["assigned_body"]
    assert "Чужая комиссия" not in drawn["assigned_body"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_privacy_requests_list_of_councils_is_written_as_django_writes_it(personas, language):
    """The public request form lists every published council (250 at national scale)."""
    with translation.override(language):
        for form in (DataRequestForm(), DataRequestForm({"council": str(personas.council.pk)})):
            bound = form["council"]
            widget = form.fields["council"].widget
            assert isinstance(widget, QuickSelect)
            django_select = forms.Select(attrs=widget.attrs, choices=widget.choices)
            assert bound.as_widget() == bound.as_widget(widget=django_select)
        assert f'value="{personas.council.pk}" selected' in form["council"].as_widget()
