"""The staff inbox's filters, search and sort, shared by the HTML list, its CSV export and the daily digest.

Every filter is scoped to one council: the commission and assignee choices come from that council only, so a
crafted query string cannot name another council's records (an unknown choice is a form error and is ignored).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from core.search import council_left_to_the_words, council_search
from core.widgets import QuickSelect
from core.workdays import WorkCalendar
from councils.models import Body, Council

from . import selectors
from .categories import category_labels, council_localities
from .deadlines import FORWARD_PENDING_STATUSES, forward_overdue_received_by, overdue_q
from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealStatus,
    ApplicantType,
    Category,
    Channel,
    Locality,
    effective_deadline,
)

PAGE_SIZE = 25
DUE_SOON_WORKING_DAYS = 3
OPEN = "open"  # a pseudo-status in the status filter: every status still in the council's work
FORWARD_DUE, FORWARD_OVERDUE = "due", "overdue"


def appeals_for_inbox(*, council: Council) -> QuerySet[Appeal]:
    """The council's appeals with their effective deadline (an extension wins over the computed date), and the
    related rows every list shows, so that one page costs the same number of queries whatever its length."""
    return (
        Appeal.objects.filter(council=council)
        .select_related("assigned_body", "assignee", "forwarded_to")
        .annotate(effective_deadline=effective_deadline())
    )


def due_soon_limit(today: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
    """The last day that counts as "due soon": the third working day after today."""
    calendar = calendar or WorkCalendar.load_for_terms(today, today, DUE_SOON_WORKING_DAYS)
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)


def unassigned_q() -> Q:
    """New appeals nobody has taken yet: registered, neither assigned, forwarded nor answered."""
    return Q(status=AppealStatus.REGISTERED)


def due_soon_q(today: dt.date, limit: dt.date) -> Q:
    """Open appeals due from today up to `limit` inclusive (not yet overdue)."""
    return Q(status__in=OPEN_STATUSES, effective_deadline__gte=today, effective_deadline__lte=limit)


def forward_overdue_q(as_of: dt.date) -> Q:
    """Appeals still registered or assigned whose 3-working-day forwarding term (АППК art. 76) ended before
    `as_of`."""
    received_by = forward_overdue_received_by(as_of)
    next_day_starts = timezone.make_aware(dt.datetime.combine(received_by + dt.timedelta(days=1), dt.time.min))
    return Q(status__in=FORWARD_PENDING_STATUSES, registered_at__lt=next_day_starts)


# What a registration number looks like when someone types or pastes it, whole or its beginning: letters, a
# digit somewhere, dashes ("ALM-2019-0042", "alm-2019", "2019-004").
NUMBER_LIKE = re.compile(r"^[\w-]*\d[\w-]*$")


def search_appeals(queryset: QuerySet[Appeal], text: str, *, council_id: int, walk: bool = False) -> QuerySet[Appeal]:
    """The council's appeals (`queryset`, of that council) whose number starts with the text (typed or pasted:
    tried first), else those whose number, subject or text has its words (Russian stemming and the words as
    written, for Kazakh; core/search.py).

    On PostgreSQL both read an index, whatever the table's size: the number a prefix index, the words the GIN
    index over the search document, whose words are marked with their council (core/search.py, migration 0021):
    it finds the council's matches alone and leaves PostgreSQL to sort them. That is right for a rare word and
    wrong for a common one (every sixth appeal of a council of 100,000 says «освещение»: 17,000 matches sorted
    for 25 rows). With `walk=True` the words are tested row by row on an expression no index serves, so
    PostgreSQL walks the index of the inbox's order instead and stops at the page's last row: a few hundred rows
    read for a common word. Same rows, same order; the inbox asks for it only once the GIN count says the
    matches are many (`AppealFilter.walk_qs`). PostgreSQL keeps statistics on that expression (migrations 0018,
    0021), so it expects as many matches along the walk as the column has, and walks as far as a deep page needs
    rather than sorting the whole council. On SQLite (local use only) a plain icontains: it folds the case of
    ASCII letters only, so Cyrillic search there is case-sensitive.
    """
    text = text.strip()
    if not text:
        return queryset
    if NUMBER_LIKE.match(text):
        by_number = queryset.filter(number__startswith=text.upper())
        if by_number.exists():
            return by_number
    if connection.vendor == "postgresql":
        matches = queryset.filter(council_search("search_document", council_id, text, indexed=not walk))
        # Along the GIN index, the council is the words' to tell: its btree index read beside them costs a big
        # council 4 ms and grows with it (core/search.py). A walk reads the order's index, the council first.
        return matches if walk else council_left_to_the_words(matches)
    return queryset.filter(Q(subject__icontains=text) | Q(text__icontains=text) | Q(number__icontains=text))


# The sorts an index serves (appeal_inbox_order, appeal_inbox_newest): only along one of them does walking in
# order and testing each row stop early. The latest deadline first is a computed key: its matches are sorted.
WALKABLE_SORTS = frozenset({"", "deadline", "registered", "-registered"})


def appeal_years(council: Council) -> list[int]:
    """The years from the council's first appeal to its last, newest first (`selectors.appeal_years`: the counts
    kept per council and year, not the appeals)."""
    return selectors.appeal_years(council=council)


def staff_of(council: Council) -> QuerySet:
    """The user accounts with a role in the council: the people an appeal can be assigned to."""
    return get_user_model().objects.filter(council_roles__council=council).order_by("last_name", "username")


def staff_label(user) -> str:
    return user.get_full_name() or user.get_username()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_label(obj)


def _listed(field: forms.ModelChoiceField, rows: Callable[[], Iterable[Any]]) -> Callable[[], list[tuple[Any, str]]]:
    """The choices of a record field's select list as the field draws them (its empty label, then each record's
    value and `label_from_instance`), from `rows` read when first asked for and kept: a select list is iterated
    twice when drawn (Django's `Select.use_required_attribute` looks at its first choice)."""

    @functools.cache
    def choices() -> list[tuple[Any, str]]:
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return [*empty, *((field.prepare_value(row), field.label_from_instance(row)) for row in rows())]

    return choices


class AppealFilter(FilterSet):
    SORT_CHOICES = (
        ("deadline", _("New and unassigned first, then the nearest deadline")),
        ("-deadline", _("Latest deadline first")),
        ("-registered", _("Newest first")),
        ("registered", _("Oldest first")),
    )

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("All open")), *AppealStatus.choices],
        method="filter_status",
        widget=QuickSelect,
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices, widget=QuickSelect)
    locality = django_filters.ModelChoiceFilter(
        label=_("District or town"), queryset=Locality.objects.none(), to_field_name="code", widget=QuickSelect
    )
    applicant_type = django_filters.ChoiceFilter(
        label=_("Applicant type"), choices=ApplicantType.choices, widget=QuickSelect
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices, widget=QuickSelect)
    assigned_body = django_filters.ModelChoiceFilter(
        label=_("Commission"), queryset=Body.objects.none(), widget=QuickSelect
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"), queryset=get_user_model().objects.none(), widget=QuickSelect
    )
    year = django_filters.TypedChoiceFilter(label=_("Year"), coerce=int, widget=QuickSelect)
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    due_soon = django_filters.BooleanFilter(
        label=_("Due within 3 working days"), method="filter_due_soon", widget=forms.CheckboxInput
    )
    forwarding = django_filters.ChoiceFilter(
        label=_("To forward within 3 working days"),
        choices=[(FORWARD_DUE, _("Term running")), (FORWARD_OVERDUE, _("Overdue"))],
        method="filter_forwarding",
        widget=QuickSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, method="filter_sort", empty_label=None, widget=QuickSelect
    )

    class Meta:
        model = Appeal
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, council: Council, today: dt.date | None = None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.council = council
        self.today = today or timezone.localdate()
        self._soon_limit: dt.date | None = None
        self._walk = False
        self._found: list[int] | None = None
        fields = self.form.fields
        # The querysets check a chosen value; the select lists are read when the form is drawn (a callable, so the
        # export and the digest, which draw none, read nothing), each in one query: through the querysets,
        # Django's ModelChoiceIterator reads them by a server-side cursor, three round trips each. The widget's
        # choices are set after the queryset, which would set them again.
        fields["assigned_body"].queryset = Body.objects.filter(council=council)
        fields["assigned_body"].widget.choices = _listed(
            fields["assigned_body"], lambda: Body.objects.filter(council=council)
        )
        # The council's own categories and localities (appeals/categories.py), retired ones too: old appeals carry them.
        fields["category"].choices = [("", "---------"), *category_labels(council=council).items()]
        fields["locality"].queryset = Locality.objects.filter(council=council).order_by("position", "id")
        fields["locality"].widget.choices = _listed(fields["locality"], lambda: council_localities(council=council))
        fields["assignee"].queryset = staff_of(council)
        fields["assignee"].label_from_instance = staff_label
        fields["assignee"].widget.choices = _listed(fields["assignee"], lambda: staff_of(council))
        fields["year"].choices = [("", "---------")] + [(y, str(y)) for y in appeal_years(council)]

    @property
    def soon_limit(self) -> dt.date:
        if self._soon_limit is None:
            self._soon_limit = due_soon_limit(self.today)
        return self._soon_limit

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "deadline")
        return queryset

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_search(self, queryset, name, value):
        if self._found is not None:
            return queryset.filter(pk__in=self._found)
        return search_appeals(queryset, value, council_id=self.council.pk, walk=self._walk or self._among_open())

    def _among_open(self) -> bool:
        """The other filters keep open appeals only (all open, one open status, overdue, due soon, to forward).

        A search among them tests the words on the council's open appeals (`search_appeals(walk=True)`, along the
        index `appeal_open_newest`): as many as the council has in hand, whatever its past holds. Read from the
        GIN index, a common word's list holds the council's every year (30,000 rows at 1,000,000 appeals, 4 ms;
        intersected with 1,931 open appeals) and grows with them."""
        data = self.form.cleaned_data
        status = data.get("status")
        return (
            status == OPEN
            or status in OPEN_STATUSES
            or bool(data.get("overdue") or data.get("due_soon") or data.get("forwarding"))
        )

    @property
    def searching(self) -> bool:
        """A search is asked for (words or a number)."""
        return self.is_valid() and bool((self.form.cleaned_data.get("q") or "").strip())

    def walk_qs(self) -> QuerySet[Appeal] | None:
        """The same rows as `qs` in the same order, the search tested along the order's index
        (`search_appeals(walk=True)`), for a search whose GIN count came out large; None when there is no
        search or the sort has no index to walk."""
        if not self.searching:
            return None
        if connection.vendor != "postgresql" or (self.form.cleaned_data.get("sort") or "") not in WALKABLE_SORTS:
            return None
        self._walk = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self._walk = False

    def found_qs(self, ids: list[int]) -> QuerySet[Appeal]:
        """The same rows as `qs` in the same order, the search's matches given by their ids (all of them, read
        once by the bounded count): the page and the place counts then read those few rows by their key instead
        of each finding the search's matches again in the GIN index (four times 5 ms for a common word among the
        open appeals at 1M)."""
        self._found = ids
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self._found = None

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(self.today)) if value else queryset

    def filter_due_soon(self, queryset, name, value):
        return queryset.filter(due_soon_q(self.today, self.soon_limit)) if value else queryset

    def filter_forwarding(self, queryset, name, value):
        if value == FORWARD_OVERDUE:
            return queryset.filter(forward_overdue_q(self.today))
        if value == FORWARD_DUE:
            return queryset.filter(status__in=FORWARD_PENDING_STATUSES).exclude(forward_overdue_q(self.today))
        return queryset

    def filter_sort(self, queryset, name, value):
        if value == "-deadline":
            return queryset.order_by(F("effective_deadline").desc(nulls_last=True), "-registered_at", "-id")
        if value == "registered":
            return queryset.order_by("registered_at", "id")
        if value == "-registered":
            return queryset.order_by("-registered_at", "-id")
        # The default: new appeals nobody has taken yet on top (an old overdue one already in hand must not hide
        # them), then what needs work soonest; closed appeals after them, newest first. Both keys are columns the
        # database keeps (Appeal.inbox_rank, Appeal.open_deadline), so the index appeal_inbox_order serves it.
        return queryset.order_by("inbox_rank", F("open_deadline").asc(nulls_last=True), "-registered_at", "-id")
