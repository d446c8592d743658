"""One lifecycle for everything a council sends out and follows to its answer.

A recommendation to a state body and an information request to a body or a company live the same life: drafted,
sent on a date, answered by a due date (which a request may extend once, with reasons), answered perhaps more than
once, and moved through a few statuses, every step kept in a history row with who and when. This module holds
that life once:

1. abstract models: `TrackedItem` (status, sent_on, response_due), `ExtendableItem` (plus one extension with
   its reasons), `TrackedResponse` and `TrackedStatusChange`. A concrete model names its parent `council`, its
   responses `responses` and its history `history`;
2. `Lifecycle`, the description of one such model: its statuses, which status may follow which, which are
   settled (the answer is in), how its due date is computed and whether it can be extended;
3. the generic verbs (`lifecycle_*`), parameterised by a `Lifecycle`: the named services in
   `monitoring.services` (`recommendation_send`, `information_request_extend`, ...) are thin calls to them;
4. the generic reads: the overdue condition and the response statistics.

It imports no model of this app, so `monitoring.models` can build on it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.files import validate_attachment
from core.workdays import WorkCalendar, add_months_capped

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from councils.models import Council


# ---- 1. The abstract models --------------------------------------------------------------------------------


class TrackedItem(models.Model):
    """Sent to an addressee on `sent_on`, answer due by `response_due`; the concrete model gives the status
    choices and the `council` foreign key."""

    sent_on = models.DateField(gettext_lazy("sent on"), null=True, blank=True)
    response_due = models.DateField(gettext_lazy("response due"), null=True, blank=True)
    status = models.CharField(gettext_lazy("status"), max_length=24)

    class Meta:
        abstract = True

    @property
    def effective_due(self) -> dt.date | None:
        return self.response_due


class ExtendableItem(TrackedItem):
    """A tracked item whose term may be extended once, by a reasoned decision."""

    extended_until = models.DateField(gettext_lazy("extended until"), null=True, blank=True)
    extension_reason = models.TextField(gettext_lazy("reasons for the extension"), blank=True)

    class Meta:
        abstract = True
        constraints = [
            # An extension moves the term later, and always says why.
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True)
                | (Q(response_due__isnull=False, extended_until__gt=F("response_due")) & ~Q(extension_reason="")),
                name="%(app_label)s_%(class)s_extension_reasoned",
            ),
        ]

    @property
    def effective_due(self) -> dt.date | None:
        return self.extended_until or self.response_due


class TrackedResponse(models.Model):
    """An answer received; the concrete model adds the foreign key to its item with related_name="responses"."""

    received_on = models.DateField(gettext_lazy("received on"))
    text = models.TextField(gettext_lazy("text"))
    document = models.FileField(gettext_lazy("document"), upload_to="responses/%Y/", blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.received_on}: {self.text[:60]}"


class TrackedStatusChange(models.Model):
    """One step of an item's history; the concrete model adds the foreign key (related_name="history") and the
    status choices."""

    status = models.CharField(gettext_lazy("status"), max_length=24)
    changed_on = models.DateField(gettext_lazy("date"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.changed_on}: {self.get_status_display()}"  # type: ignore[attr-defined]


# ---- 2. The description of one lifecycle -------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingDaysTerm:
    """A term of N working days after the start, N read from a field of the council (editable per council)."""

    council_field: str

    def due(self, council: Council, start: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
        days = getattr(council, self.council_field)
        calendar = calendar or WorkCalendar.load_for_terms(start, start, days)
        return calendar.add_working_days(start, days)

    def describe(self, council: Council) -> str:
        return _("%(n)s working days") % {"n": getattr(council, self.council_field)}


@dataclass(frozen=True)
class MonthsTerm:
    """A term of N calendar months from the start, N read from a field of the council. A term ending on a
    non-working day ends on the next working day (as civil-law terms do)."""

    council_field: str

    def due(self, council: Council, start: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
        end = add_months_capped(start, getattr(council, self.council_field))
        # A term of no working days from `end`: the calendar reaches the first working day from it.
        calendar = calendar or WorkCalendar.load_for_terms(end, end, 0)
        return calendar.registration_day(end)

    def describe(self, council: Council) -> str:
        return _("%(n)s month(s)") % {"n": getattr(council, self.council_field)}


@dataclass(frozen=True)
class FixedTerm:
    """A term fixed by a rule rather than by a council's setting: `n` calendar days, working days or calendar
    months (`unit`). A term of calendar days or months ending on a non-working day ends on the next working day,
    as civil-law terms do; a term of working days counts only working days. `explain` tells the reader how the
    date came out (monitoring/access_rules.py)."""

    n: int
    unit: str  # "calendar_days", "working_days" or "months"

    def due(self, council: Council | None, start: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
        return self.explain(start, calendar).end

    def raw_end(self, start: dt.date) -> dt.date:
        if self.unit == "months":
            return add_months_capped(start, self.n)
        return start + dt.timedelta(days=self.n)

    def explain(self, start: dt.date, calendar: WorkCalendar | None = None) -> TermExplanation:
        if self.unit == "working_days":
            calendar = calendar or WorkCalendar.load_for_terms(start, start, self.n)
            explanation = calendar.explain_deadline(start, self.n)
            return TermExplanation(
                start=start, raw_end=explanation.end, end=explanation.end, skipped=list(explanation.skipped)
            )
        raw = self.raw_end(start)
        calendar = calendar or WorkCalendar.load_for_terms(raw, raw, 0)
        end = calendar.registration_day(raw)
        skipped = []
        day = raw
        while day < end:
            skipped.append((day, calendar.reason_not_working(day) or ""))
            day += dt.timedelta(days=1)
        return TermExplanation(start=start, raw_end=raw, end=end, skipped=skipped)

    def describe(self, council: Council | None = None) -> str:
        if self.unit == "months":
            return _("%(n)s month(s)") % {"n": self.n}
        if self.unit == "working_days":
            return _("%(n)s working days") % {"n": self.n}
        return _("%(n)s calendar days") % {"n": self.n}


@dataclass(frozen=True)
class TermExplanation:
    """How a fixed term's last day came out: `raw_end` by counting, `end` after moving off the non-working days
    listed in `skipped` (a term of working days: the days not counted)."""

    start: dt.date
    raw_end: dt.date
    end: dt.date
    skipped: list[tuple[dt.date, str]]

    @property
    def moved(self) -> bool:
        return self.end != self.raw_end


Term = WorkingDaysTerm | MonthsTerm | FixedTerm


@dataclass(frozen=True)
class Lifecycle:
    """How one tracked model lives: its statuses and the rules between them.

    - `answerable`: statuses that an answer moves to `answered`; in any other sent status an answer is recorded
      and the status kept.
    - `settled`: statuses in which the answer is in (whatever it said): never overdue.
    - `final`: statuses nothing may follow.
    - `transitions`: which statuses a secretary may set by hand from each status. Sending and answering have
      their own verbs, because they also set dates.
    - `term`: how the response date is computed from the sent date; `extension`: how far one extension moves
      it (None: no extension).
    """

    model: type[TrackedItem]
    statuses: type[models.TextChoices]
    draft: str
    sent: str
    answered: str
    answerable: frozenset[str]
    settled: frozenset[str]
    final: frozenset[str]
    transitions: Mapping[str, tuple[str, ...]]
    term: Term
    extension: Term | None = None
    key_prefix: str = "item"
    # A model whose items each follow their own rule (an information request: the law's term or the Aarhus
    # Convention's) gives the item's term and extension here; None: the lifecycle's own for every item.
    # The status an extension moves a waiting item to (None: the status is kept).
    extended: str | None = None
    term_of: Callable[[Any], Term] | None = None
    extension_of: Callable[[Any], Term | None] | None = None

    @property
    def extendable(self) -> bool:
        return self.extension is not None

    def label(self, status: str) -> str:
        return str(self.statuses(status).label)

    def history_relation(self) -> tuple[type[models.Model], str]:
        """The status change model and the name of its foreign key to the item."""
        relation = self.model._meta.get_field("history")
        return relation.related_model, relation.field.name  # type: ignore[union-attr,return-value]

    def response_relation(self) -> tuple[type[models.Model], str]:
        """The response model and the name of its foreign key to the item."""
        relation = self.model._meta.get_field("responses")
        return relation.related_model, relation.field.name  # type: ignore[union-attr,return-value]

    def manual_targets(self, status: str) -> tuple[str, ...]:
        return tuple(self.transitions.get(status, ()))

    def item_term(self, item: Any) -> Term:
        return self.term_of(item) if self.term_of is not None else self.term

    def item_extension(self, item: Any) -> Term | None:
        return self.extension_of(item) if self.extension_of is not None else self.extension


# ---- 3. The generic verbs ----------------------------------------------------------------------------------


def _locked(lifecycle: Lifecycle, item: TrackedItem) -> Any:
    return lifecycle.model._default_manager.select_for_update().select_related("council").get(pk=item.pk)


def _not_in_future(field: str, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def lifecycle_record(
    lifecycle: Lifecycle, *, item: Any, status: str, by: AbstractBaseUser | None, on: dt.date, note: str = ""
) -> Any:
    """Append one step to the item's history."""
    return item.history.create(status=status, changed_on=on, changed_by=by, note=note)


def lifecycle_create(lifecycle: Lifecycle, *, by: AbstractBaseUser | None, **fields: Any) -> Any:
    """A new item, as a draft, with a fresh key (imported items bring their own) and the first history row."""
    item = lifecycle.model(**fields, key=f"{lifecycle.key_prefix}-{uuid.uuid4().hex[:12]}", status=lifecycle.draft)
    item.save()
    lifecycle_record(lifecycle, item=item, status=lifecycle.draft, by=by, on=timezone.localdate())
    return item


def lifecycle_send(
    lifecycle: Lifecycle, *, item: Any, sent_on: dt.date, by: AbstractBaseUser | None, note: str = ""
) -> Any:
    """Record the sending: the sent date, the response date by the council's term, the status, the history."""
    item = _locked(lifecycle, item)
    if item.status != lifecycle.draft:
        raise ValidationError(
            _("Only a draft can be sent; this one is already «%(status)s».") % {"status": lifecycle.label(item.status)}
        )
    _not_in_future("sent_on", sent_on)
    item.sent_on = sent_on
    item.response_due = lifecycle.item_term(item).due(item.council, sent_on)
    item.status = lifecycle.sent
    item.save(update_fields=["sent_on", "response_due", "status"])
    lifecycle_record(lifecycle, item=item, status=lifecycle.sent, by=by, on=sent_on, note=note)
    return item


def lifecycle_record_response(
    lifecycle: Lifecycle,
    *,
    item: Any,
    received_on: dt.date,
    text: str,
    document: UploadedFile | None,
    by: AbstractBaseUser | None,
) -> Any:
    """Store an answer; the first answer to an item awaiting one makes it `answered`. Returns the response."""
    item = _locked(lifecycle, item)
    if item.status == lifecycle.draft or item.sent_on is None:
        raise ValidationError(_("Record the sending first: an answer can only come to something sent."))
    if received_on < item.sent_on:
        raise ValidationError(
            {
                "received_on": _("The answer cannot arrive before the sending (%(date)s).")
                % {"date": item.sent_on.strftime("%d.%m.%Y")}
            }
        )
    _not_in_future("received_on", received_on)
    if not text.strip():
        raise ValidationError({"text": _("Give the text of the answer, or its summary.")})
    if document:
        try:
            validate_attachment(document)
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
    response = item.responses.create(received_on=received_on, text=text, document=document or "")
    if item.status in lifecycle.answerable:
        item.status = lifecycle.answered
        item.save(update_fields=["status"])
    lifecycle_record(lifecycle, item=item, status=item.status, by=by, on=received_on, note=_("Answer received."))
    return response


def lifecycle_set_status(
    lifecycle: Lifecycle,
    *,
    item: Any,
    status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    on: dt.date | None = None,
) -> Any:
    """Move the item to `status` if the rules allow it; otherwise nothing changes and the error says why."""
    item = _locked(lifecycle, item)
    if status not in lifecycle.manual_targets(item.status):
        valid = status in lifecycle.statuses.values
        raise ValidationError(
            {
                "status": _("After «%(current)s» the status cannot become «%(new)s».")
                % {"current": lifecycle.label(item.status), "new": lifecycle.label(status) if valid else status}
            }
        )
    item.status = status
    item.save(update_fields=["status"])
    lifecycle_record(lifecycle, item=item, status=status, by=by, on=on or timezone.localdate(), note=note)
    return item


def lifecycle_extend(
    lifecycle: Lifecycle, *, item: Any, reasons: str, by: AbstractBaseUser | None, on: dt.date | None = None
) -> Any:
    """Extend the term once, from the original response date, by the lifecycle's extension; reasons required."""
    if lifecycle.extension is None:
        raise ValidationError(_("This term cannot be extended."))
    item = _locked(lifecycle, item)
    extension = lifecycle.item_extension(item)
    if extension is None:
        raise ValidationError(_("This term cannot be extended."))
    if item.status in lifecycle.settled or item.status == lifecycle.draft or item.response_due is None:
        raise ValidationError(_("Only a term still awaiting an answer can be extended."))
    if item.extended_until is not None:
        raise ValidationError(
            _("The term was already extended once, until %(date)s; it cannot be extended again.")
            % {"date": item.extended_until.strftime("%d.%m.%Y")}
        )
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the extension.")})
    item.extended_until = extension.due(item.council, item.response_due)
    item.extension_reason = reasons.strip()
    if lifecycle.extended is not None:
        item.status = lifecycle.extended
    item.save(update_fields=["extended_until", "extension_reason", "status"])
    note = _("Term extended until %(date)s: %(reasons)s") % {
        "date": item.extended_until.strftime("%d.%m.%Y"),
        "reasons": item.extension_reason,
    }
    lifecycle_record(lifecycle, item=item, status=item.status, by=by, on=on or timezone.localdate(), note=note)
    return item


def lifecycle_recompute_due(lifecycle: Lifecycle) -> int:
    """After the holiday calendar changed: recompute the response dates (and extensions) of the items still
    awaiting an answer, with one calendar for all. Returns how many changed."""
    waiting = (
        lifecycle.model._default_manager.filter(sent_on__isnull=False)
        .exclude(status__in=[lifecycle.draft, *lifecycle.settled])
        .select_related("council")
    )
    items = list(waiting)
    if not items:
        return 0
    # Long enough for a term of months plus its extension, from the earliest sending to the latest.
    calendar = WorkCalendar.load(min(i.sent_on for i in items), max(i.sent_on for i in items) + dt.timedelta(days=400))
    fields = ["response_due", "extended_until"] if lifecycle.extension is not None else ["response_due"]
    changed = []
    for item in items:
        before = [getattr(item, name) for name in fields]
        item.response_due = lifecycle.item_term(item).due(item.council, item.sent_on, calendar)
        extension = lifecycle.item_extension(item)
        if extension is not None and item.extended_until is not None:
            item.extended_until = extension.due(item.council, item.response_due, calendar)
        if [getattr(item, name) for name in fields] != before:
            changed.append(item)
    lifecycle.model._default_manager.bulk_update(changed, fields, batch_size=500)
    return len(changed)


# ---- 4. The generic reads ----------------------------------------------------------------------------------


def lifecycle_annotate(lifecycle: Lifecycle, queryset: QuerySet[Any], *, as_of: dt.date | None = None) -> QuerySet[Any]:
    """Add what the overdue condition needs: `effective_due_date` (an extension wins), `has_response` and
    `status_on`, the item as it stood at the end of `as_of` (None: as it is on file now).

    As of a past day, an answer received later does not count and the status is the one its history shows on
    that day (the last step recorded with a date up to it: a sending entered late still follows the creation).
    An item with no history at all (an old import) keeps the status on file.
    """
    response_model, parent = lifecycle.response_relation()
    responses = response_model._default_manager.filter(**{parent: OuterRef("pk")})
    due = Coalesce("extended_until", "response_due") if lifecycle.extendable else F("response_due")
    if as_of is None:
        return queryset.annotate(effective_due_date=due, has_response=Exists(responses), status_on=F("status"))
    history = lifecycle.history_relation()
    steps = history[0]._default_manager.filter(**{history[1]: OuterRef("pk")})
    last_step = Subquery(steps.filter(changed_on__lte=as_of).order_by("-id").values("status")[:1])
    before_any_step = Case(
        When(sent_on__lte=as_of, then=Value(lifecycle.sent)), default=Value(lifecycle.draft), output_field=CharField()
    )
    return queryset.annotate(
        effective_due_date=due,
        has_response=Exists(responses.filter(received_on__lte=as_of)),
        status_on=Case(
            When(Exists(steps), then=Coalesce(last_step, before_any_step)),
            default=F("status"),
            output_field=CharField(),
        ),
    )


def lifecycle_overdue_q(lifecycle: Lifecycle, as_of: dt.date) -> Q:
    """THE overdue rule of a lifecycle in SQL: past its (extended) response date, with no answer on file, and
    neither a draft nor settled, on `as_of` (the queryset is annotated by `lifecycle_annotate` as of the same day,
    or as it is now for today's lists)."""
    waiting = ~Q(status_on__in=[lifecycle.draft, *lifecycle.settled])
    return waiting & Q(effective_due_date__lt=as_of, has_response=False)


def lifecycle_answered_q(lifecycle: Lifecycle) -> Q:
    """The answer is in (an answer on file, or a settled status), on the day of the annotation."""
    return Q(has_response=True) | Q(status_on__in=lifecycle.settled)


def lifecycle_is_overdue(lifecycle: Lifecycle, item: Any, as_of: dt.date) -> bool:
    """The same rule for one item annotated by `lifecycle_annotate`, in Python."""
    due = item.effective_due_date
    status = getattr(item, "status_on", item.status)
    return (
        due is not None
        and due < as_of
        and not item.has_response
        and status != lifecycle.draft
        and status not in lifecycle.settled
    )


def lifecycle_overdue(lifecycle: Lifecycle, *, council: Council, as_of: dt.date) -> QuerySet[Any]:
    qs = lifecycle_annotate(lifecycle, lifecycle.model._default_manager.filter(council=council))
    return qs.filter(lifecycle_overdue_q(lifecycle, as_of)).order_by("effective_due_date", "pk")


@dataclass(frozen=True)
class ResponseStats:
    """How an addressee answers: `answered` counts answers on file and settled statuses; the timing figures
    count only the answers whose date is on file."""

    sent: int
    answered: int
    answered_on_time: int
    timed: int
    average_days: float | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None

    @property
    def on_time_share(self) -> float | None:
        """Of the answers with a date, the share received by the (extended) response date."""
        return self.answered_on_time / self.timed if self.timed else None


def lifecycle_response_stats(lifecycle: Lifecycle, queryset: QuerySet[Any]) -> ResponseStats:
    """The response figures of the sent items in `queryset`: one query."""
    response_model, parent = lifecycle.response_relation()
    first_answer = Subquery(
        response_model._default_manager.filter(**{parent: OuterRef("pk")})
        .order_by("received_on")
        .values("received_on")[:1]
    )
    due = Coalesce("extended_until", "response_due") if lifecycle.extendable else F("response_due")
    days = ExpressionWrapper(F("first_answer") - F("sent_on"), output_field=models.DurationField())
    row = (
        queryset.filter(sent_on__isnull=False)
        .annotate(first_answer=first_answer, due_date=due)
        .aggregate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(first_answer__isnull=False) | Q(status__in=lifecycle.settled)),
            timed=Count("pk", filter=Q(first_answer__isnull=False)),
            on_time=Count("pk", filter=Q(first_answer__isnull=False, first_answer__lte=F("due_date"))),
            average=Avg(days),
        )
    )
    average = row["average"]
    return ResponseStats(
        sent=row["sent"],
        answered=row["answered"],
        answered_on_time=row["on_time"],
        timed=row["timed"],
        average_days=average.total_seconds() / 86400 if average is not None else None,
    )
