"""Memoranda as of a day: whether each is in force, and where each commitment stands.

A memorandum is *in force* from its signing until the end of its term (`valid_until`, inclusive) or the day
it was terminated, whichever comes first; *expired* after its term; *terminated* from the day of termination.
A commitment is *done* once its `done_on` has come, *overdue* when its due date has passed undone, *open*
otherwise. Every state is read as of a day: 31 December for a closed year, today for the running one, so a
closed year's page never changes with the day it is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.workdays import year_bounds

from .models import Council, Memorandum, MemorandumCommitment, Partner

IN_FORCE, EXPIRED, TERMINATED, NOT_YET = "in_force", "expired", "terminated", "not_yet_signed"
MEMORANDUM_STATES: dict[str, Promise] = {
    IN_FORCE: _("In force"),
    EXPIRED: _("Expired"),
    TERMINATED: _("Terminated"),
    NOT_YET: _("Not signed yet"),
}
DONE, OVERDUE, OPEN = "done", "overdue", "open"
COMMITMENT_STATES: dict[str, Promise] = {DONE: _("Done"), OVERDUE: _("Overdue"), OPEN: _("Open")}


def memorandum_state(memorandum: Memorandum, as_of: dt.date) -> str:
    if memorandum.signed_on > as_of:
        return NOT_YET
    if memorandum.terminated_on is not None and memorandum.terminated_on <= as_of:
        return TERMINATED
    if memorandum.valid_until is not None and memorandum.valid_until < as_of:
        return EXPIRED
    return IN_FORCE


def commitment_state(commitment: MemorandumCommitment, as_of: dt.date) -> str:
    if commitment.done_on is not None and commitment.done_on <= as_of:
        return DONE
    if commitment.due_date is not None and commitment.due_date < as_of:
        return OVERDUE
    return OPEN


@dataclass(frozen=True)
class CommitmentView:
    commitment: MemorandumCommitment
    state: str

    @property
    def state_label(self) -> Promise:
        return COMMITMENT_STATES[self.state]


@dataclass
class MemorandumView:
    memorandum: Memorandum
    state: str
    parties: list[Partner]
    commitments: list[CommitmentView] = field(default_factory=list)

    @property
    def state_label(self) -> Promise:
        return MEMORANDUM_STATES[self.state]

    @property
    def count_done(self) -> int:
        return sum(1 for c in self.commitments if c.state == DONE)

    @property
    def count_overdue(self) -> int:
        return sum(1 for c in self.commitments if c.state == OVERDUE)


def _views(memoranda: QuerySet[Memorandum], as_of: dt.date) -> list[MemorandumView]:
    """Three queries: the memoranda with their partner, the other parties, the commitments."""
    rows = list(memoranda.select_related("partner").prefetch_related("other_parties", "commitments"))
    views = []
    for memo in rows:
        parties = [memo.partner] if memo.partner else []
        parties += sorted(memo.other_parties.all(), key=lambda p: p.name_ru or "")
        commitments = [
            CommitmentView(c, commitment_state(c, as_of))
            for c in sorted(memo.commitments.all(), key=lambda c: (c.due_date or dt.date.max, c.pk))
        ]
        views.append(MemorandumView(memo, memorandum_state(memo, as_of), parties, commitments))
    return views


def memoranda_of_year(*, council: Council, year: int, as_of: dt.date) -> list[MemorandumView]:
    """The memoranda that were in force at some time in the year (signed by its end, not over before it began),
    with their state and their commitments' as of `as_of`."""
    start, end = year_bounds(year)
    memoranda = (
        Memorandum.objects.filter(council=council, signed_on__lte=end)
        .exclude(Q(terminated_on__lt=start) | Q(valid_until__lt=start))
        .order_by("signed_on", "id")
    )
    return _views(memoranda, as_of)


def memorandum_view(*, memorandum: Memorandum, as_of: dt.date) -> MemorandumView:
    return _views(Memorandum.objects.filter(pk=memorandum.pk), as_of)[0]


def memorandum_years(*, council: Council, today: dt.date) -> list[int]:
    """Every year a memorandum of the council was in force, up to this year, newest first."""
    years: set[int] = set()
    for signed, until, ended in Memorandum.objects.filter(council=council).values_list(
        "signed_on", "valid_until", "terminated_on"
    ):
        last = min(d for d in (until, ended, today) if d is not None)
        years.update(range(signed.year, max(signed.year, last.year) + 1))
    return sorted((y for y in years if y <= today.year), reverse=True)


@dataclass(frozen=True)
class MemorandumFigures:
    signed: int
    in_force: int
    commitments_due: int
    commitments_done: int
    commitments_overdue: int


def memorandum_figures(*, council: Council, year: int, as_of: dt.date) -> MemorandumFigures:
    """The year's memoranda figures: signed in the year, in force on `as_of`, and the commitments due in the
    year by their state on `as_of`. Two queries."""
    rows = list(
        Memorandum.objects.filter(council=council, signed_on__lte=dt.date(year, 12, 31)).only(
            "signed_on", "valid_until", "terminated_on"
        )
    )
    signed = sum(1 for m in rows if m.signed_on.year == year)
    in_force = sum(1 for m in rows if memorandum_state(m, as_of) == IN_FORCE)
    due = list(MemorandumCommitment.objects.filter(memorandum__council=council, due_date__year=year))
    states = [commitment_state(c, as_of) for c in due]
    return MemorandumFigures(
        signed=signed,
        in_force=in_force,
        commitments_due=len(due),
        commitments_done=states.count(DONE),
        commitments_overdue=states.count(OVERDUE),
    )
