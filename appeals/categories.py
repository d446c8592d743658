"""A council's lists of appeal categories and localities: reads (the choices a form offers, the labels a page
shows, the year's counts by category and by place) and the writes that edit the lists.

The national list (`models.Category`) is where every council starts: the data migration copied it into the
councils then on file, and a council with no list of its own offers it until its first edit, which copies it in
before adding the new category (so nothing the council had offered disappears).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.page_cache import council_cache_state, portal_cache_version
from core.process_cache import remember
from councils.models import Council

from .models import Appeal, AppealCategory, Category, FigureDimension, Locality, LocalityKind
from .selectors import year_figures

CATEGORY_CODE_LENGTH = 16
LOCALITY_CODE_LENGTH = 32


# --- Reads --------------------------------------------------------------------------------------------------


def council_categories(*, council: Council) -> list[AppealCategory]:
    """The council's own categories in its order, retired ones included (empty: it uses the national list). Kept in
    the process while the council's cache version holds (an edit of a category bumps it, core/page_cache.py): a
    council's page reads them for its counts and again for their names. Shared: read them, never change them."""
    return list(
        remember(
            ("appeals.council_categories", council.pk),
            lambda: council_cache_state(council.pk).key,
            lambda: list(AppealCategory.objects.filter(council=council).order_by("position", "id")),
        )
    )


def category_choices(*, council: Council) -> list[tuple[str, str]]:
    """(code, name) of the categories the appeal form offers: the council's active ones, else the national list."""
    own = council_categories(council=council)
    if own:  # the council keeps its own list, even if every category of it is retired
        return [(c.code, c.name) for c in own if c.is_active]
    return [(value, str(label)) for value, label in Category.choices]


@dataclass(frozen=True)
class AppealFormLists:
    """What the appeal form offers of the council's lists: the categories (code, name in the active language) and
    whether it has active localities (else the form has no locality field)."""

    categories: list[tuple[str, str]]
    has_localities: bool


def appeal_form_lists(*, council: Council) -> AppealFormLists:
    """The council's lists as the appeal form offers them, kept in the process per council and language while no
    council's record changes (core/process_cache.py; an edit of a category or a locality bumps the version like
    any council's record): every submission builds the form, and its three queries and their ORM work were a sixth
    of a submission's CPU. Shared by the process's threads: read it, never change it."""
    return remember(
        ("appeals.appeal_form_lists", council.pk, translation.get_language()),
        portal_cache_version,
        lambda: AppealFormLists(
            categories=category_choices(council=council),
            has_localities=bool(council_localities(council=council, active_only=True)),
        ),
    )


def category_labels(*, council: Council, own: list[AppealCategory] | None = None) -> dict[str, str]:
    """{code: name} for every category an appeal of the council may carry: the national list's names, then the
    council's own (retired ones too, so a past year's appeals keep their label), in the council's order (`own`:
    `council_categories`, when the caller has read them)."""
    labels = {value: str(label) for value, label in Category.choices}
    if own is None:
        own = council_categories(council=council)
    if own:
        labels = {c.code: c.name for c in own} | {k: v for k, v in labels.items() if k not in {c.code for c in own}}
    return labels


def council_localities(*, council: Council, active_only: bool = False) -> list[Locality]:
    """The council's districts and towns in its order (retired ones too unless `active_only`), kept in the process
    as the categories are. Shared: read them, never change them."""
    rows = remember(
        ("appeals.council_localities", council.pk),
        lambda: council_cache_state(council.pk).key,
        lambda: list(Locality.objects.filter(council=council).order_by("position", "id")),
    )
    return [loc for loc in rows if loc.is_active or not active_only]


def locality_labels(*, council: Council) -> dict[str, str]:
    """{code: name} of the council's localities, retired ones included, in its order."""
    return {loc.code: loc.name for loc in council_localities(council=council)}


@dataclass(frozen=True)
class AppealPlaceCounts:
    """The appeals of a registration year by category (the council's codes, in its order, every category offered
    counted even at zero) and by locality (the council's codes; `without_locality`: the appeals that name none)."""

    by_category: dict[str, int]
    by_locality: dict[str, int]
    without_locality: int


def appeal_place_counts(
    *, council: Council, year: int, figures: dict[str, dict[str, int]] | None = None
) -> AppealPlaceCounts:
    """Counts of the year's appeals by category and by locality, from the counts the database keeps per year
    (`AppealYearFigure`, `selectors.year_figures`): a few dozen rows, whatever the number of appeals. A category
    or locality is the appeal's at registration, which no later step changes: any `as_of` gives the same counts
    for the appeals registered by then, so a closed year's figures stand."""
    if figures is None:  # unless the caller has read them
        figures = year_figures(council=council, year=year)
    own_categories = council_categories(council=council)
    by_category = dict.fromkeys(category_labels(council=council, own=own_categories), 0)
    for value, n in figures.get(FigureDimension.TYPE_CATEGORY, {}).items():
        category = value.split(":", 1)[1]
        by_category[category] = by_category.get(category, 0) + n
    localities = council_localities(council=council)
    by_locality = {loc.code: 0 for loc in localities}
    codes = {str(loc.pk): loc.code for loc in localities}
    without = 0
    for locality_id, n in figures.get(FigureDimension.LOCALITY, {}).items():
        if not locality_id:
            without += n
            continue
        if locality_id not in codes:  # not the council's own (none is expected): named by its code all the same
            codes[locality_id] = Locality.objects.filter(pk=int(locality_id)).values_list("code", flat=True).get()
        by_locality[codes[locality_id]] = by_locality.get(codes[locality_id], 0) + n
    # The national list's unused categories are noise on a council's page; the council's own list is shown whole.
    if not own_categories:
        by_category = {code: n for code, n in by_category.items() if n}
    return AppealPlaceCounts(by_category=by_category, by_locality=by_locality, without_locality=without)


@dataclass(frozen=True)
class InboxPlaceCounts:
    """How the inbox's filtered appeals split by category and by locality: [(label, count)], largest first."""

    by_category: list[tuple[str, int]]
    by_locality: list[tuple[str, int]]


def inbox_place_counts(*, council: Council, appeals: QuerySet[Appeal]) -> InboxPlaceCounts:
    """The filtered inbox by category and by locality, largest first (ties in code and locality order, appeals
    naming no locality after the others). One query groups the filter's rows by both and the two splits are
    summed from it: the rows are read once, not once per split (at most categories × localities groups; the
    inbox asks only while the rows are few enough to count, core/pagination.py's bound)."""
    categories = category_labels(council=council)
    names = {loc.pk: loc.name for loc in council_localities(council=council)}
    by_code: Counter[str] = Counter()
    by_place: Counter[int | None] = Counter()
    for row in appeals.order_by().values("category", "locality").annotate(n=Count("id")):
        by_code[row["category"]] += row["n"]
        by_place[row["locality"]] += row["n"]
    by_category = [
        (categories.get(code, code), n) for code, n in sorted(by_code.items(), key=lambda item: (-item[1], item[0]))
    ]
    by_locality = [
        (names[place] if place is not None else _("No district or town"), n)
        for place, n in sorted(by_place.items(), key=lambda item: (-item[1], item[0] is None, item[0] or 0))
        if place is None or place in names
    ]
    return InboxPlaceCounts(by_category=by_category, by_locality=by_locality if names else [])


# --- Writes -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryData:
    name_ru: str
    name_kk: str = ""
    name_en: str = ""
    is_active: bool = True


@dataclass(frozen=True)
class LocalityData:
    name_ru: str
    name_kk: str = ""
    name_en: str = ""
    kind: str = LocalityKind.DISTRICT
    is_active: bool = True


def _names(data: CategoryData | LocalityData) -> dict[str, str | None]:
    """The three name columns by name (an empty translation stored as NULL: pages fall back to Russian)."""
    if not data.name_ru.strip():
        raise ValidationError({"name_ru": _("Enter the name in Russian.")})
    return {
        "name_ru": data.name_ru.strip(),
        "name_kk": data.name_kk.strip() or None,
        "name_en": data.name_en.strip() or None,
    }


def _free_code(taken: set[str], base: str, length: int, fallback: str) -> str:
    base = slugify(base).replace("-", "_")[: length - 3].strip("_") or fallback
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def _adopt_national_list(council: Council) -> None:
    """Copy the national list into a council that has no list yet, so its first edit keeps what it offered."""
    if AppealCategory.objects.filter(council=council).exists():
        return
    from django.utils import translation

    rows = []
    for position, (code, label) in enumerate(Category.choices, start=1):
        names = {}
        for language in ("ru", "kk", "en"):
            with translation.override(language):
                names[f"name_{language}"] = str(label)
        rows.append(AppealCategory(council=council, code=code, position=position, **names))
    AppealCategory.objects.bulk_create(rows)


@transaction.atomic
def appeal_category_create(*, council: Council, data: CategoryData) -> AppealCategory:
    """Add a category at the end of the council's list; its code comes from the English (else a numbered) name."""
    names = _names(data)
    _adopt_national_list(council)
    existing = AppealCategory.objects.select_for_update().filter(council=council)
    taken = set(existing.values_list("code", flat=True))
    if existing.filter(name_ru__iexact=names["name_ru"]).exists():
        raise ValidationError({"name_ru": _("The council already has a category with this name.")})
    code = _free_code(taken, data.name_en, CATEGORY_CODE_LENGTH, f"topic_{len(taken) + 1}")
    position = (max(existing.values_list("position", flat=True), default=0) or 0) + 1
    return AppealCategory.objects.create(
        council=council, code=code, position=position, is_active=data.is_active, **names
    )


@transaction.atomic
def appeal_category_update(*, category: AppealCategory, data: CategoryData) -> AppealCategory:
    """Rename a category or retire it (its code, and so the appeals that carry it, stay)."""
    for field, value in _names(data).items():
        setattr(category, field, value)
    category.is_active = data.is_active
    category.save()
    return category


@transaction.atomic
def locality_create(*, council: Council, data: LocalityData) -> Locality:
    if data.kind not in LocalityKind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    names = _names(data)
    existing = Locality.objects.select_for_update().filter(council=council)
    if existing.filter(name_ru__iexact=names["name_ru"]).exists():
        raise ValidationError({"name_ru": _("The council already has a locality with this name.")})
    taken = set(existing.values_list("code", flat=True))
    code = _free_code(taken, data.name_en, LOCALITY_CODE_LENGTH, f"place_{len(taken) + 1}")
    position = (max(existing.values_list("position", flat=True), default=0) or 0) + 1
    return Locality.objects.create(
        council=council, code=code, kind=data.kind, position=position, is_active=data.is_active, **names
    )


@transaction.atomic
def locality_update(*, locality: Locality, data: LocalityData) -> Locality:
    if data.kind not in LocalityKind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    for field, value in _names(data).items():
        setattr(locality, field, value)
    locality.kind = data.kind
    locality.is_active = data.is_active
    locality.save()
    return locality
