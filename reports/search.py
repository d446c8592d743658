"""Full-text search across one council's public records: meetings (title, goal, agenda items and their
decisions), monitoring events (topic, findings, recommendations, results), public hearings (topic, resolution),
draft act reviews (title, remarks) and recommendations (text and the answers to them).

Appeals are never searched: they carry citizens' personal data and reach the public only as counts.

On PostgreSQL the search is PostgreSQL's own: `SearchVector` / `SearchQuery` (websearch syntax: words, "a
phrase", -exclusion, or) / `SearchRank` with the "russian" configuration, so «зоопарк» finds «мониторинг
зоопарка» (stemming). `django.contrib.postgres` need not be installed for this: the expressions work in any
query, and the `search=` filter on an annotated vector is registered by `django.contrib.postgres.search`
itself. On another database (SQLite, local use) each word must occur, case-insensitively, in one of the fields.

One query per kind of record (five), each limited to the best `PER_KIND` hits and one more to tell that there
are more; the snippets are cut in Python from the matched text with the words marked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from councils.models import Council
from hearings.models import Meeting, PublicHearing
from hearings.selectors import meetings_with_public_content, public_agenda_items
from monitoring.models import DraftActReview, MonitoringEvent, RecommendationResponse
from monitoring.selectors import public_recommendations

MAX_QUERY_LENGTH = 200
PER_KIND = 20
CONFIG = "russian"
SNIPPET_CHARS = 240


@dataclass
class Hit:
    title: str
    url: str
    date: dt.date | None
    snippet: SafeString
    note: str = ""


@dataclass
class ResultGroup:
    kind: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


@dataclass
class SearchResults:
    q: str
    groups: list[ResultGroup]

    @property
    def total(self) -> int:
        return sum(len(group.hits) for group in self.groups)


# ---- words and snippets ----------------------------------------------------------------------------------------


def query_words(q: str) -> list[str]:
    """The words of the query, without the websearch operators: what the snippets mark and the fallback
    matches."""
    words = re.findall(r"\w+", q.lower())
    return [w for w in words if w != "or"][:10]


def _stem(word: str) -> str:
    # A crude prefix for marking: «зоопарка» and «зоопарку» share «зоопар»; PostgreSQL does the real stemming.
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def snippet(text: str, words: Sequence[str], width: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` around the first word found, escaped, with the words marked (<mark>)."""
    text = " ".join((text or "").split())
    stems = [_stem(w) for w in words if w]
    lowered = text.lower()
    found = [i for i in (lowered.find(s) for s in stems) if i >= 0]
    start = max(0, min(found) - width // 4) if found else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = text[start : start + width]
    parts = ["…" if start else ""]
    if stems:
        pattern = re.compile("|".join(re.escape(s) + r"\w*" for s in stems), re.IGNORECASE)
        last = 0
        for match in pattern.finditer(piece):
            parts += [escape(piece[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
            last = match.end()
        parts.append(escape(piece[last:]))
    else:
        parts.append(escape(piece))
    if start + width < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of the text is escaped above


# ---- matching ---------------------------------------------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _matching(queryset: QuerySet, fields: Sequence[str], q: str, order: Sequence[str]) -> list:
    """The best `PER_KIND + 1` records of `queryset` matching `q` in `fields` (names or annotations)."""
    if _is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        vector = SearchVector(*fields, config=CONFIG)
        ranked = (
            queryset.annotate(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(F("document"), query))
            .order_by("-rank", *order)
        )
        return list(ranked[: PER_KIND + 1])
    condition = Q()
    for word in query_words(q):
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    if not condition:
        return []
    return list(queryset.filter(condition).order_by(*order)[: PER_KIND + 1])


def _joined(subquery: QuerySet, parent: str, *parts: str) -> Subquery | Value:
    """The related rows' text joined in one string (PostgreSQL's string_agg), for the vector."""
    if not _is_postgres():
        return Value("")
    from django.contrib.postgres.aggregates import StringAgg

    pieces: list = []
    for name in parts:
        pieces += [name, Value(" ")]
    text = Concat(*pieces, output_field=TextField())
    return Subquery(
        subquery.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(text=StringAgg(text, delimiter=" "))
        .values("text")[:1],
        output_field=TextField(),
    )


def _group(kind: str, label: str, hits: list[Hit]) -> ResultGroup:
    return ResultGroup(kind=kind, label=str(label), hits=hits[:PER_KIND], more=len(hits) > PER_KIND)


# ---- the kinds of records ----------------------------------------------------------------------------------------


def _meetings(council: Council, q: str, words: list[str]) -> ResultGroup:
    # A closed meeting has no public text (hearings.selectors.public_meeting): only meetings whose content is
    # public are searched, and only their public agenda.
    meetings = Meeting.objects.filter(meetings_with_public_content(), council=council).annotate(
        agenda_text=_joined(public_agenda_items(), "meeting", "title", "decision")
    )
    if _is_postgres():
        found = _matching(meetings, ["title", "goal", "agenda_text"], q, ["-date", "-id"])
    else:
        items = public_agenda_items().filter(meeting=OuterRef("pk"))
        condition = Q()
        for word in words:
            agenda = Exists(items.filter(Q(title__icontains=word) | Q(decision__icontains=word)))
            condition &= Q(title__icontains=word) | Q(goal__icontains=word) | agenda
        found = list(meetings.filter(condition).order_by("-date", "-id")[: PER_KIND + 1]) if words else []
    hits = [
        Hit(
            title=f"{m.get_kind_display()}: {m.title}" if m.title else m.get_kind_display(),
            url=reverse("reports:meeting", args=[council.slug, m.pk]),
            date=m.date,
            snippet=snippet(" ".join(filter(None, [m.title, m.goal, m.agenda_text])), words),
        )
        for m in found
    ]
    return _group("meetings", _("Meetings"), hits)


def _monitoring(council: Council, q: str, words: list[str]) -> ResultGroup:
    fields = ["topic", "findings", "recommendations_summary", "results"]
    found = _matching(MonitoringEvent.objects.filter(council=council), fields, q, ["-date", "-id"])
    hits = [
        Hit(
            title=e.topic,
            url=reverse("reports:monitoring_event", args=[council.slug, e.pk]),
            date=e.date,
            snippet=snippet(" ".join(filter(None, [e.findings, e.recommendations_summary, e.results, e.topic])), words),
        )
        for e in found
    ]
    return _group("monitoring", _("Public monitoring"), hits)


def _hearings(council: Council, q: str, words: list[str]) -> ResultGroup:
    found = _matching(PublicHearing.objects.filter(council=council), ["topic", "resolution"], q, ["-date", "-id"])
    hits = [
        Hit(
            title=h.topic,
            url=reverse("reports:hearing", args=[council.slug, h.pk]),
            date=h.date,
            snippet=snippet(" ".join(filter(None, [h.resolution, h.topic])), words),
        )
        for h in found
    ]
    return _group("hearings", _("Public hearings"), hits)


def _drafts(council: Council, q: str, words: list[str]) -> ResultGroup:
    reviews = DraftActReview.objects.filter(council=council).select_related("developer")
    found = _matching(reviews, ["title", "remarks"], q, ["-discussion_start", "-id"])
    hits = [
        Hit(
            title=r.title,
            url=reverse("reports:draft_reviews", args=[council.slug]) + f"?year={r.discussion_start.year}",
            date=r.discussion_start,
            snippet=snippet(" ".join(filter(None, [r.title, r.remarks])), words),
            note=" · ".join(filter(None, [r.developer.name if r.developer else "", r.get_conclusion_display()])),
        )
        for r in found
    ]
    return _group("drafts", _("Draft act reviews"), hits)


def _recommendations(council: Council, q: str, words: list[str]) -> ResultGroup:
    recommendations = (
        public_recommendations()
        .filter(council=council)
        .select_related("state_body")
        .annotate(answers_text=_joined(RecommendationResponse.objects.all(), "recommendation", "text"))
    )
    if _is_postgres():
        found = _matching(recommendations, ["text", "answers_text"], q, ["-issued_on", "-id"])
    else:
        answers = RecommendationResponse.objects.filter(recommendation=OuterRef("pk"))
        condition = Q()
        for word in words:
            condition &= Q(text__icontains=word) | Exists(answers.filter(text__icontains=word))
        found = list(recommendations.filter(condition).order_by("-issued_on", "-id")[: PER_KIND + 1]) if words else []
    tracker = reverse("reports:recommendations", args=[council.slug])
    hits = []
    for r in found:
        query = f"?year={r.issued_on.year}" + (f"&body={r.state_body.slug}" if r.state_body else "")
        hits.append(
            Hit(
                title=r.text if len(r.text) <= 160 else r.text[:159] + "…",
                url=tracker + query + f"#rec-{r.pk}",
                date=r.issued_on,
                snippet=snippet(" ".join(filter(None, [r.text, r.answers_text])), words),
                note=" · ".join(filter(None, [r.state_body.name if r.state_body else "", r.get_status_display()])),
            )
        )
    return _group("recommendations", _("Recommendations"), hits)


def search_council(*, council: Council, q: str) -> SearchResults:
    """The council's public records matching `q`, by kind, best first: five queries."""
    words = query_words(q)
    groups = [search(council, q, words) for search in (_meetings, _monitoring, _hearings, _drafts, _recommendations)]
    return SearchResults(q=q, groups=groups)
