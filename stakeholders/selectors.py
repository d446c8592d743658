"""Reads of the stakeholder registry: the workspace's lists (a council's own organisations and those its networks
share with it), a group's recipients, and the counts the stats API and the annual report show (counts only: no
name of a person ever leaves the workspace)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, F, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.prepared import prepared_values
from core.workdays import year_span
from councils.models import Council, Partner, PartnerKind

from .models import (
    CATEGORY_OF_KIND,
    Contact,
    ContactKind,
    ContactLogEntry,
    DeliveryStatus,
    GroupKind,
    MailingGroup,
    MailOut,
    MailOutDelivery,
    OrganisationCategory,
)


def network_council_ids(*, council: Council) -> set[int]:
    """The other councils that share a network with `council`."""
    ids = set(
        Council.objects.filter(stakeholder_networks__councils=council)
        .exclude(pk=council.pk)
        .values_list("pk", flat=True)
    )
    return ids


def _with_profile(queryset: QuerySet[Partner]) -> QuerySet[Partner]:
    return queryset.select_related("council", "stakeholder_profile").annotate(
        contact_count=Count("stakeholder_contacts", filter=Q(stakeholder_contacts__anonymised_at__isnull=True))
    )


def organisations_for_workspace(*, council: Council, include_shared: bool = True) -> QuerySet[Partner]:
    """The council's organisations, and the organisations the councils of its networks share with it."""
    scope = Q(council=council)
    if include_shared:
        others = network_council_ids(council=council)
        if others:
            scope |= Q(council_id__in=others, stakeholder_profile__shared=True)
    return _with_profile(Partner.objects.filter(scope)).order_by("name_ru", "id")


def organisation_visible(*, council: Council, pk: int) -> Partner | None:
    """One organisation the council may read (its own, or shared with it), else None."""
    return organisations_for_workspace(council=council).filter(pk=pk).first()


def contacts_for_workspace(*, council: Council) -> QuerySet[Contact]:
    return Contact.objects.filter(partner__council=council).select_related("partner").order_by("full_name", "id")


def contacts_visible(*, council: Council, partner: Partner) -> QuerySet[Contact]:
    """The contact people of an organisation the council may read: its own, or one shared with it."""
    return Contact.objects.filter(partner=partner).order_by("-is_active", "full_name", "id")


def log_for_workspace(*, council: Council) -> QuerySet[ContactLogEntry]:
    return ContactLogEntry.objects.filter(partner__council=council).select_related("partner", "contact", "by")


def groups_for_workspace(*, council: Council) -> QuerySet[MailingGroup]:
    return MailingGroup.objects.filter(council=council).annotate(member_count=Count("contacts")).order_by("name")


def mail_outs_for_workspace(*, council: Council) -> QuerySet[MailOut]:
    return (
        MailOut.objects.filter(council=council)
        .select_related("group", "sent_by")
        .annotate(
            queued=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        )
    )


def mailable(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """The contacts a mail-out may reach: an address, still at the organisation, not unsubscribed, not cleared."""
    return queryset.exclude(email="").filter(is_active=True, unsubscribed_at__isnull=True, anonymised_at__isnull=True)


def group_recipients(*, group: MailingGroup) -> QuerySet[Contact]:
    """Who a mail-out to the group reaches: its chosen contacts and, for the media group, every contact of the
    council's organisations of the category "media"."""
    scope = Q(groups=group)
    if group.kind == GroupKind.MEDIA:
        scope |= Q(partner__council_id=group.council_id, partner__stakeholder_profile__category="media")
    chosen = Contact.objects.filter(scope, partner__council_id=group.council_id).values("pk")
    return mailable(Contact.objects.filter(pk__in=chosen)).order_by("full_name", "id")


def media_contacts(*, council: Council) -> QuerySet[Contact]:
    """The council's media contacts who may be mailed (for the news and statements), without creating a group."""
    group = MailingGroup.objects.filter(council=council, kind=GroupKind.MEDIA).first()
    if group is not None:
        return group_recipients(group=group)
    return mailable(
        Contact.objects.filter(partner__council=council, partner__stakeholder_profile__category="media")
    ).order_by("full_name", "id")


# ---- counts -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StakeholderCounts:
    """The year's work with stakeholders, as of a day: the organisations the council dealt with (a contact log
    entry in the year) by category, the log's entries by kind, mail-outs and their messages sent. Counts only: no
    name, address or phone. Each figure is dated in the year, so a closed year's figures never change."""

    organisations: int
    by_category: dict[str, int]
    log_entries: int
    log_by_kind: dict[str, int]
    mail_outs: int
    messages_sent: int
    # The council's news items sent to its media group in the year (core/press.py: a mail-out naming its item).
    press_mail_outs: int = 0
    # The organisations dealt with by their sector in the registry's own words ("горнодобывающая", "water"), the
    # same words however written (spaces, case) counted as one, most first; one without a sector is in none.
    by_sector: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Anything to report: entries in the log or mail-outs."""
        return self.log_entries + self.mail_outs


def _count(queryset: QuerySet[Any], group: str, counted: str = "pk", *, distinct: bool = False) -> Coalesce:
    """The rows of `queryset` (filtered to one council) as a scalar subquery, 0 when there are none."""
    rows = queryset.order_by().values(group).annotate(n=Count(counted, distinct=distinct)).values("n")[:1]
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _category_q(category: str, prefix: str = "") -> Q:
    """An organisation of the category: by its profile, or by its partner's kind when it has no profile."""
    kinds = [kind for kind, mapped in CATEGORY_OF_KIND.items() if mapped == category]
    if category == OrganisationCategory.OTHER:
        kinds.append(PartnerKind.OTHER)
    q = Q(**{f"{prefix}stakeholder_profile__category": category})
    if kinds:
        q |= Q(**{f"{prefix}stakeholder_profile__isnull": True, f"{prefix}kind__in": kinds})
    return q


def _count_rows(*, council_id: int, start: dt.date, end: dt.date) -> QuerySet[Council, dict[str, Any]]:
    """The statement of `stakeholder_counts` for the days from `start` to `end`."""
    dealt = Q(partners__stakeholder_log__date__range=(start, end))
    # Named apart from the council's own fields and relations ("mail_outs" is one).
    annotations: dict[str, Any] = {
        "n_sector": Count("partners", filter=dealt, distinct=True),
        "n_mail_outs": _count(
            MailOut.objects.filter(council_id=council_id, created_at__date__range=(start, end)), "council"
        ),
        "n_press_mail_outs": _count(
            MailOut.objects.filter(
                council_id=council_id, created_at__date__range=(start, end), source__startswith="news:"
            ),
            "council",
        ),
        "n_messages_sent": _count(
            MailOutDelivery.objects.filter(
                mail_out__council_id=council_id, status=DeliveryStatus.SENT, sent_at__date__range=(start, end)
            ),
            "mail_out__council",
        ),
    }
    for category in OrganisationCategory.values:
        annotations[f"category_{category}"] = Count(
            "partners", filter=dealt & _category_q(category, "partners__"), distinct=True
        )
    for kind in ContactKind.values:
        annotations[f"kind_{kind}"] = Count(
            "partners__stakeholder_log", filter=dealt & Q(partners__stakeholder_log__kind=kind)
        )
    # Django's own queryset: django-modeltranslation's values() would add every column of the council.
    councils: QuerySet[Council] = QuerySet(model=Council)
    rows = councils.filter(pk=council_id).values(sector=F("partners__stakeholder_profile__sector"))
    return cast(QuerySet[Council, dict[str, Any]], rows.annotate(**annotations).order_by())


def stakeholder_counts(*, council: Council, year: int, as_of: dt.date) -> StakeholderCounts:
    """One query: the council's row grouped by its organisations' sectors, each row counting, among the
    organisations of the sector that the log names in the year up to `as_of`, those of each category and the log's
    entries of each kind (an organisation is in one sector: the council's figures are the rows' sums), with the
    mail-outs queued and messages sent in that span beside them as scalar subqueries (the same on every row).
    Aggregates over one join rather than a subquery per figure: the ORM took 27 ms to write the eighteen
    subqueries that PostgreSQL ran in 4."""
    start, end = year_span(year, as_of)
    # The ORM took 20 ms to write the statement PostgreSQL runs in 2.5: it is written once (core/prepared.py).
    rows = prepared_values("stakeholders.stakeholder_counts", _count_rows, council_id=council.pk, start=start, end=end)
    row = rows[0]  # a council without organisations has one row, its sector null
    # The same words however written are one sector, named as most of its organisations write it.
    spellings: dict[str, dict[str, int]] = {}
    for sector_row in rows:
        words = " ".join((sector_row["sector"] or "").split())
        if words and sector_row["n_sector"]:
            spelt = spellings.setdefault(words.casefold(), {})
            spelt[words] = spelt.get(words, 0) + sector_row["n_sector"]
    by_sector = {
        min(spelt, key=lambda words: (-spelt[words], words)): sum(spelt.values()) for spelt in spellings.values()
    }
    log_by_kind = {kind: sum(r[f"kind_{kind}"] for r in rows) for kind in ContactKind.values}
    return StakeholderCounts(
        organisations=sum(r["n_sector"] for r in rows),
        by_category={
            category: sum(r[f"category_{category}"] for r in rows) for category in OrganisationCategory.values
        },
        log_entries=sum(log_by_kind.values()),
        log_by_kind=log_by_kind,
        mail_outs=row["n_mail_outs"],
        messages_sent=row["n_messages_sent"],
        press_mail_outs=row["n_press_mail_outs"],
        by_sector=dict(sorted(by_sector.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def public_organisations() -> QuerySet[Partner]:
    """The organisations of published councils, for the open API: names, category, sector, region, website."""
    return (
        Partner.objects.filter(council__is_published=True)
        .select_related("council", "stakeholder_profile")
        .order_by("council__slug", "key", "id")
    )
