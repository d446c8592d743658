"""The time limits of an information request, as data: which rule a request follows, how long the holder has to
answer, how far one extension may move the limit, and where the rule is written. docs/information-requests.md
states each rule with its source.

1. `ACCESS_LAW`: the Law of the Republic of Kazakhstan «On access to information» No. 401-V of 16 November 2015,
   article 11: fifteen calendar days, extendable once by up to fifteen calendar days, the requester being
   notified of the extension. A limit falling on a non-working day moves to the next working day.
2. `AARHUS`: the Aarhus Convention, article 4.2: environmental information as soon as possible and at the latest
   within one month; up to two months when the volume and the complexity justify it (an extension by one month).
3. `COUNCIL`: the council's own term in months (`Council.information_request_months` and its extension), the
   term every request followed before the rules above; kept for those requests.

A rule is chosen per request and stored on it, so the limit shown to the reader, the overdue rule and the
figures all read the one rule. `explain_deadline` gives the reader the calculation, as appeals do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.workdays import reason_in_language

from .lifecycle import FixedTerm, MonthsTerm, TermExplanation

if TYPE_CHECKING:
    from .lifecycle import Term


class AccessRule(models.TextChoices):
    ACCESS_LAW = "access_law", _("Law «On access to information» (15 calendar days)")
    AARHUS = "aarhus", _("Aarhus Convention, environmental information (one month)")
    COUNCIL = "council", _("The council's own term (months)")


@dataclass(frozen=True)
class RuleSpec:
    """One rule: its term, its extension (None: none), the notice the holder owes when it extends, and its
    source as the reader sees it."""

    key: str
    term: FixedTerm | None
    extension: FixedTerm | None
    source: Promise
    notice: Promise


RULES: dict[str, RuleSpec] = {
    AccessRule.ACCESS_LAW: RuleSpec(
        key=AccessRule.ACCESS_LAW,
        term=FixedTerm(15, "calendar_days"),
        extension=FixedTerm(15, "calendar_days"),
        source=_("Law of the Republic of Kazakhstan «On access to information» No. 401-V of 16.11.2015, article 11"),
        notice=_("The holder may extend the term once, by up to 15 calendar days, and must notify the requester."),
    ),
    AccessRule.AARHUS: RuleSpec(
        key=AccessRule.AARHUS,
        term=FixedTerm(1, "months"),
        extension=FixedTerm(1, "months"),
        source=_("Aarhus Convention, article 4.2"),
        notice=_(
            "As soon as possible and at the latest within one month; up to two months when the volume and the "
            "complexity of the information justify it, the applicant being informed of the extension and its reasons."
        ),
    ),
    AccessRule.COUNCIL: RuleSpec(
        key=AccessRule.COUNCIL,
        term=None,  # the council's setting
        extension=None,
        source=_("The council's own term for information requests"),
        notice=_("The term may be extended once, by the council's extension term, with reasons."),
    ),
}

COUNCIL_TERM = MonthsTerm("information_request_months")
COUNCIL_EXTENSION = MonthsTerm("information_request_extension_months")


def rule_of(item: Any) -> RuleSpec:
    return RULES.get(getattr(item, "rule", ""), RULES[AccessRule.COUNCIL])


def term_of(item: Any) -> Term:
    """The term of a request's rule (the lifecycle's `term_of`)."""
    return rule_of(item).term or COUNCIL_TERM


def extension_of(item: Any) -> Term | None:
    spec = rule_of(item)
    return spec.extension if spec.term is not None else COUNCIL_EXTENSION


@dataclass(frozen=True)
class RequestDeadline:
    """The limit of one request as the reader sees it: the rule and its source, the term counted from the day
    the request was sent (`base`), the extension if any, and the day the page stands on with the verdict."""

    rule: RuleSpec
    term_label: str
    base: TermExplanation | None
    extension_label: str
    extension: TermExplanation | None
    effective: dt.date | None
    skipped: list[tuple[dt.date, str]]

    @property
    def extended(self) -> bool:
        return self.extension is not None


def _described(explanation: TermExplanation) -> list[tuple[dt.date, str]]:
    return [(day, reason_in_language(reason)[0] if reason else "") for day, reason in explanation.skipped]


def explain_deadline(item: Any) -> RequestDeadline:
    """How the request's limit was computed, from its sent date and its rule (nothing for a draft). The
    stored dates are what the overdue rule reads; a term of the council's own rule is shown from them."""
    spec = rule_of(item)
    term = term_of(item)
    base = extension = None
    if item.sent_on is not None:
        if isinstance(term, FixedTerm):
            base = term.explain(item.sent_on)
        elif item.response_due is not None:
            base = TermExplanation(start=item.sent_on, raw_end=item.response_due, end=item.response_due, skipped=[])
    extension_term = extension_of(item)
    if item.extended_until is not None and item.response_due is not None:
        if isinstance(extension_term, FixedTerm):
            extension = extension_term.explain(item.response_due)
        else:
            extension = TermExplanation(
                start=item.response_due, raw_end=item.extended_until, end=item.extended_until, skipped=[]
            )
    council = item.council
    skipped = (_described(base) if base else []) + (_described(extension) if extension else [])
    return RequestDeadline(
        rule=spec,
        term_label=term.describe(council),
        base=base,
        extension_label=extension_term.describe(council) if extension_term is not None else "",
        extension=extension,
        effective=item.extended_until or item.response_due,
        skipped=skipped,
    )
