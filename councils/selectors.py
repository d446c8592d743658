"""Reads of councils, their composition and memoranda, shared by pages, the API and the annual report.

Every selector runs a fixed number of queries, whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from core import languages

from .models import (
    EXPERT_SERVED,
    LEGACY_EXPERT_ROLE,
    Affiliation,
    Body,
    BodyKind,
    BodyMembership,
    BodyRole,
    ConsultativeSeat,
    Convocation,
    Council,
    ExpertAppointment,
    MemberRole,
    Membership,
    Memorandum,
)


def published_councils() -> QuerySet[Council]:
    return Council.objects.filter(is_published=True).order_by("name")


def published_council_id(slug: str) -> int | None:
    """The id of the published council with this slug, or None, without loading the row (the page cache's key)."""
    return Council.objects.filter(slug=slug, is_published=True).values_list("pk", flat=True).first()


def published_council_get(*, slug: str) -> Council | None:
    """The published council with this slug, or None (an unpublished council does not exist for the public)."""
    return published_councils().filter(slug=slug).first()


def year_end(year: int) -> dt.date:
    """The day the annual report counts the composition on."""
    return dt.date(year, 12, 31)


def year_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day a year's figures are computed on unless another is asked for: its last day once it is over
    (a closed year's figures never change with today's date), today while it runs. The one place of the rule:
    the stats, the report, the work plan, memoranda, open data and the deputies' figures all read it."""
    return min(today or timezone.localdate(), year_end(year))


def _active_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _seat_active_on(day: dt.date) -> Q:
    """Body seats may leave their dates empty: then they follow the body."""
    return (Q(seats__start_date__isnull=True) | Q(seats__start_date__lte=day)) & (
        Q(seats__end_date__isnull=True) | Q(seats__end_date__gte=day)
    )


def member_memberships_on(*, council: Council, day: dt.date) -> QuerySet[Membership]:
    """Memberships of the council's convocations active on the day; experts are not members (ExpertAppointment;
    a file in the first interchange format may still bring one as a membership: never counted)."""
    return Membership.objects.filter(_active_on(day), convocation__council=council).exclude(role=LEGACY_EXPERT_ROLE)


def _empty_member_counts() -> dict[str, int]:
    return {"total": 0, Affiliation.STATE_BODY.value: 0, Affiliation.CIVIL_SOCIETY.value: 0}


def member_counts_by_council(*, days: Mapping[int, dt.date]) -> dict[int, dict[str, int]]:
    """Members on a given day for several councils at once ({council_id: day}), in one query."""
    result = {council_id: _empty_member_counts() for council_id in days}
    if not days:
        return result
    condition = Q()
    for council_id, day in days.items():
        condition |= Q(convocation__council_id=council_id) & _active_on(day)
    rows = (
        Membership.objects.filter(condition)
        .exclude(role=LEGACY_EXPERT_ROLE)
        .values("convocation__council_id", "affiliation")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts = result[row["convocation__council_id"]]
        counts[row["affiliation"]] = counts.get(row["affiliation"], 0) + row["n"]
        counts["total"] += row["n"]
    return result


def member_counts(*, council: Council, day: dt.date) -> dict[str, int]:
    """{"total", "state_body", "civil_society"} on the day: one query."""
    return member_counts_by_council(days={council.id: day})[council.id]


def convocation_on(*, council: Council, day: dt.date) -> Convocation | None:
    return Convocation.objects.filter(_active_on(day), council=council).order_by("-number").first()


def commission_count(*, council: Council, day: dt.date) -> int:
    """Commissions of the convocation(s) active on the day: one query."""
    return Body.objects.filter(
        council=council,
        kind=BodyKind.COMMISSION,
        convocation__in=Convocation.objects.filter(_active_on(day), council=council),
    ).count()


@dataclass
class Composition:
    """The council as it stood on one day: what the public page and the report's «structure» part show."""

    day: dt.date
    convocation: Convocation | None
    counts: dict[str, int]
    members: list[Membership] = field(default_factory=list)
    presidium: list[Body] = field(default_factory=list)
    commissions: list[Body] = field(default_factory=list)


def composition_on(*, council: Council, day: dt.date) -> Composition:
    """Members (no contact data is even loaded), the presidium and the commissions with their chairs and
    member counts: four queries."""
    convocation = convocation_on(council=council, day=day)
    members = list(
        member_memberships_on(council=council, day=day)
        .select_related("person")
        .only(
            "id",
            "role",
            "affiliation",
            "start_date",
            "end_date",
            "convocation_id",
            "person__id",
            "person__full_name",
            "person__organisation",
            "person__position",
        )
        .order_by("person__full_name", "id")
    )
    role_order = {role: i for i, role in enumerate(MemberRole.values)}
    members.sort(key=lambda m: role_order.get(m.role, len(role_order)))
    counts = _empty_member_counts()
    for membership in members:
        counts["total"] += 1
        counts[membership.affiliation] = counts.get(membership.affiliation, 0) + 1
    bodies: list[Body] = []
    if convocation is not None:
        chairs = (
            BodyMembership.objects.filter(role=BodyRole.CHAIR)
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
            .select_related("person")
            .only("id", "body_id", "role", "person__id", "person__full_name")
        )
        bodies = list(
            Body.objects.filter(convocation=convocation, kind__in=[BodyKind.PRESIDIUM, BodyKind.COMMISSION])
            .annotate(member_count=Count("seats", filter=_seat_active_on(day)))
            .prefetch_related(Prefetch("seats", queryset=chairs, to_attr="chairs"))
            .order_by("kind", "number", "name")
        )
    return Composition(
        day=day,
        convocation=convocation,
        counts=counts,
        members=members,
        presidium=[b for b in bodies if b.kind == BodyKind.PRESIDIUM],
        commissions=[b for b in bodies if b.kind == BodyKind.COMMISSION],
    )


def memorandum_count(*, council: Council, year: int) -> int:
    return Memorandum.objects.filter(council=council, signed_on__year=year).count()


def yearly_totals(*, council_ids: Iterable[int]) -> dict[tuple[int, int], dict[str, int]]:
    """{(council_id, year): {"memoranda": n}}: one query for any number of councils."""
    rows = (
        Memorandum.objects.filter(council_id__in=list(council_ids))
        .annotate(year=ExtractYear("signed_on"))
        .values("council_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["council_id"], row["year"]): {"memoranda": row["n"]} for row in rows}


def memorandum_get(*, council: Council, pk: int) -> Memorandum | None:
    return Memorandum.objects.filter(council=council, pk=pk).select_related("partner").first()


def memoranda_for_year(*, council: Council, year: int) -> list[Memorandum]:
    """The memoranda signed in the year, in signing order, with the partner: one query."""
    return list(
        Memorandum.objects.filter(council=council, signed_on__year=year)
        .select_related("partner")
        .order_by("signed_on", "id")
    )


# ---- the workspace's lists (appended for the members and commissions pages) -------------------------------


def memberships_for_workspace(*, council: Council) -> QuerySet[Membership]:
    """Every membership of the council's convocations, current and past, with the person, the convocation and
    the person's seats in bodies (with the body): two queries for any number of rows."""
    seats = BodyMembership.objects.select_related("body").order_by("body__kind", "body__number", "body__name")
    return (
        Membership.objects.filter(convocation__council=council)
        .select_related("person", "convocation")
        .prefetch_related(Prefetch("person__body_seats", queryset=seats))
        .order_by("-convocation__number", "person__full_name", "id")
    )


def seats_in_convocation(membership: Membership) -> list[BodyMembership]:
    """The person's seats in the bodies of the membership's convocation, from the prefetched seats."""
    return [s for s in membership.person.body_seats.all() if s.body.convocation_id == membership.convocation_id]


def bodies_for_workspace(*, council: Council, day: dt.date) -> QuerySet[Body]:
    """The council's bodies with their convocation, the number of seats held on `day` and the chairs on `day`:
    two queries for any number of bodies."""
    chairs = (
        BodyMembership.objects.filter(role=BodyRole.CHAIR)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person")
        .only("id", "body_id", "role", "person__id", "person__full_name")
    )
    return (
        Body.objects.filter(council=council)
        .select_related("convocation")
        .annotate(member_count=Count("seats", filter=_seat_active_on(day)))
        .prefetch_related(Prefetch("seats", queryset=chairs, to_attr="chairs"))
        .order_by("-convocation__number", "kind", "number", "name")
    )


def body_seats(*, body: Body) -> list[BodyMembership]:
    """Every seat of the body, current first, with the person: one query."""
    return list(
        BodyMembership.objects.filter(body=body)
        .select_related("person")
        .order_by("end_date", "-role", "person__full_name", "id")
    )


def body_seats_on(*, body: Body, day: dt.date) -> list[BodyMembership]:
    """The body's seats held on `day`, with the person: one query."""
    return list(
        BodyMembership.objects.filter(body=body)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person")
        .order_by("-role", "person__full_name", "id")
    )


def council_secretary_emails(*, council: Council) -> list[str]:
    """The e-mail addresses of the council's active secretaries, for the daily reminders: one query."""
    # Imported here so that this append does not touch the module's shared import block.
    from .models import CouncilStaff, StaffRole

    return list(
        CouncilStaff.objects.filter(council=council, role=StaffRole.SECRETARY, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )


# ---- the public portal's pages (appended for the council list, composition and state body pages) ------------


def public_council_search(*, q: str = "", place: str = "", kind: str = "") -> QuerySet[Council]:
    """Published councils whose name (or short name) contains `q`, in the city or region `place`, of `kind`;
    empty arguments do not filter. One query (two with a paginator's count)."""
    councils = published_councils()
    if q:
        councils = councils.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if place:
        councils = councils.filter(Q(city=place) | Q(region=place))
    if kind:
        councils = councils.filter(kind=kind)
    return councils


def public_council_places() -> list[str]:
    """The cities and regions of the published councils, for the list's filter: one query."""
    rows = published_councils().values_list("city", "region")
    return sorted({place for pair in rows for place in pair if place})


@dataclass
class BodyRoster:
    """A body of the convocation with the people seated in it on one day (names and roles only)."""

    body: Body
    seats: list[BodyMembership]


def unpublished_expert(person_ref: str = "pk") -> Q:
    """A person the public must not see (for a Person queryset, or any with `person_ref` = "person"): in the expert
    registry but never published as an expert (a candidate, declined, or not consenting: a withdrawn consent) and
    not a member of any convocation. Such a person is left out of every public list that would name them."""
    appointments = ExpertAppointment.objects.filter(person=OuterRef(person_ref))
    published = appointments.filter(
        status__in=EXPERT_SERVED, consent_given_on__isnull=False, consent_withdrawn_on__isnull=True
    )
    memberships = Membership.objects.filter(person=OuterRef(person_ref))
    return Q(Exists(appointments)) & ~Q(Exists(published)) & ~Q(Exists(memberships))


def body_rosters_on(*, council: Council, day: dt.date, public: bool = False) -> list[BodyRoster]:
    """The presidium, the commissions and the working groups of the convocation active on the day, each with
    its seats held that day, chairs first; contacts are not even loaded. Three queries. `public`: without the
    experts the public may not see (`unpublished_expert`)."""
    convocation = convocation_on(council=council, day=day)
    if convocation is None:
        return []
    seats = BodyMembership.objects.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    if public:
        seats = seats.exclude(unpublished_expert("person"))
    seats = (
        seats.select_related("person")
        .only("id", "body_id", "role", "person__id", "person__full_name")
        .order_by("role", "person__full_name", "id")  # "chair" sorts before "member"
    )
    bodies = (
        Body.objects.filter(convocation=convocation)
        .prefetch_related(Prefetch("seats", queryset=seats, to_attr="seats_on_day"))
        .order_by("kind", "number", "name")
    )
    order: dict[str, int] = {BodyKind.PRESIDIUM: 0, BodyKind.COMMISSION: 1, BodyKind.WORKING_GROUP: 2}
    rosters = [BodyRoster(body=body, seats=body.seats_on_day) for body in bodies]
    rosters.sort(key=lambda roster: order.get(roster.body.kind, 3))  # stable: number and name order kept
    return rosters


def experts_on(*, council: Council, day: dt.date, public: bool = False) -> list[ExpertAppointment]:
    """The council's experts (approved by the council, not members) on the day, by name: one query. Candidates,
    the interviewed and the declined never count. `public`: only those who consent to be published now (a
    withdrawal hides the expert from every public page, past years' included)."""
    queryset = ExpertAppointment.objects.filter(_active_on(day), council=council, status__in=EXPERT_SERVED)
    if public:
        queryset = queryset.filter(consent_given_on__isnull=False, consent_withdrawn_on__isnull=True)
    return list(
        queryset.select_related("person")
        .only(
            "id",
            "field",
            "status",
            "start_date",
            "end_date",
            "consent_given_on",
            "consent_withdrawn_on",
            "person__id",
            "person__full_name",
            "person__organisation",
        )
        .order_by("person__full_name", "id")
    )


def memberships_ended_in_year(*, council: Council, year: int) -> list[Membership]:
    """Members who left the council during the year, with the reason and the decision: by date, then name.
    The composition on 31 December no longer shows them; the report's composition part says who left and why."""
    return list(
        Membership.objects.filter(
            convocation__council=council, end_date__gte=dt.date(year, 1, 1), end_date__lte=dt.date(year, 12, 31)
        )
        .exclude(role=LEGACY_EXPERT_ROLE)
        .select_related("person")
        .order_by("end_date", "person__full_name", "id")
    )


# ---- seats in consultative and advisory bodies (appended for the workspace list, the composition page and the
# report's part 7) -------------------------------------------------------------------------------------------------


def held_in_year(year: int) -> Q:
    """Seats held on at least one day of the year."""
    return Q(start_date__lte=dt.date(year, 12, 31)) & (Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1)))


def consultative_seats_for_workspace(*, council: Council) -> QuerySet[ConsultativeSeat]:
    """The council's seats in consultative bodies, newest first, with the person and the state body: one query."""
    return (
        ConsultativeSeat.objects.filter(council=council)
        .select_related("person", "state_body")
        .order_by("-start_date", "person__full_name", "id")
    )


def consultative_seats_in_year(*, council: Council, year: int) -> list[ConsultativeSeat]:
    """The seats held at some point in the year, for the public page and the annual report: the person's name,
    the body, the level and the dates; contacts are not even loaded. One query."""
    return list(
        ConsultativeSeat.objects.filter(held_in_year(year), council=council)
        .exclude(unpublished_expert("person"))  # public: an expert who withdrew consent is named nowhere
        .select_related("person", "state_body")
        .only(
            "id",
            "body_name",
            "level",
            "start_date",
            "end_date",
            "person__id",
            "person__full_name",
            "state_body__id",
            "state_body__name",
            # modeltranslation's `name` reads the active language's column: a deferred one is a query per row.
            *(f"state_body__{column}" for column in languages.columns("name")),
        )
        .order_by("level", "person__full_name", "body_name", "id")
    )


def consultative_level_counts(seats: Iterable[ConsultativeSeat]) -> list[tuple[str, int]]:
    """(level label, number of seats) for every level, in the order of the choices: no query."""
    from .models import ConsultativeLevel

    counts = dict.fromkeys(ConsultativeLevel.values, 0)
    for seat in seats:
        counts[seat.level] = counts.get(seat.level, 0) + 1
    labels = dict(ConsultativeLevel.choices)
    return [(str(labels.get(level, level)), n) for level, n in counts.items()]
