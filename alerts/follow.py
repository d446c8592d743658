"""Following one item: a follower is told by mail when what the public sees of the item changes.

What can be followed is registered by the apps that own it (core/follow.py: a recommendation, a draft review and
an information request by monitoring, a public hearing by hearings, a state body by monitoring); a follow names
its item by kind and id. What the public sees of an item is its *public state* (`public_state`, the kind's
`state`): a small dictionary read through the same public querysets as the item's page (no drafts, no unpublished
council), holding only what a page shows — the status, the answers and their documents, the resolution and the
published record, the draft's conclusion and dates; for a state body, the recommendations addressed to it, their
statuses and answers — as codes, ids, dates and short digests of texts, never a text itself. The follower's
`cursor` holds the state they were last told of, taken when they confirmed their address.

1. Every few minutes (beat: `alerts.tasks.send_follow_news`) each confirmed follow compares the item's public
   state with its cursor. A staff-only edit (a note, an internal field, a draft's text) does not change the
   public state, so it sends nothing; an item that is not public at the moment sends nothing and keeps its cursor.
2. A difference is turned into a list of changes (`diff`), the cursor moves to the new state and the mail is
   queued in the outbox, in one transaction on the locked row: a run repeated, or two at once, queue one mail
   per change (compare-and-swap on the cursor).
3. Changes closer together than ALERTS_FOLLOW_BATCH_MINUTES go out in one mail: after a mail the follow waits
   that long, and the next run tells everything that changed meanwhile.
4. The mail is rendered when sent, in the follower's language, with the List-Unsubscribe headers of RFC 2369
   and RFC 8058; a follower who unsubscribed in between gets nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.follow import State, followable, followables
from core.outbox import handler, outbox_enqueue

from .models import NO_ITEM, Subscription
from .services import unsubscribe_url

MAIL_TARGET = "alerts.send_follow_news"


def public_item(kind: str, pk: int) -> Any | None:
    """The item the public may see (and so follow), or None (also for a kind nobody registered)."""
    registered = followables().get(kind)
    return None if registered is None else registered.public_get(pk)


def public_state(subscription: Subscription) -> State | None:
    """What the public sees now of the item the subscription follows; None if the public sees nothing of it."""
    kind = followable(subscription.item_kind)
    item = kind.public_get(subscription.item_id or 0)
    return None if item is None else kind.state(item)


# ---- what changed ---------------------------------------------------------------------------------------------


def _added(old: State, new: State, key: str) -> int:
    return len(set(new.get(key, [])) - set(old.get(key, [])))


def diff(old: State, new: State) -> list[dict[str, Any]]:
    """The changes from `old` to `new`, as JSON-able codes the mail turns into sentences (`change_lines`). An empty
    `old` (a follow confirmed while the item was not public) is a baseline, not a change."""
    if not old:
        return []
    changes: list[dict[str, Any]] = []
    for key in ("status", "conclusion", "date", "extended_until", "record"):
        if key in new and new[key] != old.get(key) and new[key]:
            changes.append({"what": key, "old": old.get(key, ""), "new": new[key]})
    for key in ("recommendations", "answers", "documents"):
        if count := _added(old, new, key):
            changes.append({"what": key, "count": count})
    # A state body's recommendations each have a status: how many of those told before changed.
    told = old.get("statuses", {})
    if moved := sum(1 for pk, status in new.get("statuses", {}).items() if told.get(pk, status) != status):
        changes.append({"what": "statuses", "count": moved})
    for key in ("resolution", "remarks", "window", "draft"):
        if key in new and new[key] != old.get(key) and new[key]:
            changes.append({"what": key})
    return changes


def _status_label(kind: str, value: str) -> str:
    choices = followable(kind).statuses
    return str(choices(value).label) if choices is not None and value in choices.values else value


def _date(value: str) -> str:
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y")


def change_lines(kind: str, changes: list[dict[str, Any]]) -> list[str]:
    """The changes to an item of `kind` as sentences in the active language."""
    lines = []
    for change in changes:
        what = change["what"]
        if what == "status":
            lines.append(_("Status: %(status)s.") % {"status": _status_label(kind, change["new"])})
        elif what == "conclusion":
            lines.append(
                _("The council's conclusion: %(conclusion)s.") % {"conclusion": _status_label(kind, change["new"])}
            )
        elif what == "date":
            lines.append(_("New date: %(date)s.") % {"date": _date(change["new"])})
        elif what == "extended_until":
            lines.append(_("The answer's term was extended until %(date)s.") % {"date": _date(change["new"])})
        elif what == "record":
            lines.append(_("The record of the hearing was published on %(date)s.") % {"date": _date(change["new"])})
        elif what == "recommendations":
            lines.append(_("New recommendations: %(count)s.") % {"count": change["count"]})
        elif what == "statuses":
            lines.append(_("Recommendations whose status changed: %(count)s.") % {"count": change["count"]})
        elif what == "answers":
            lines.append(_("New answers: %(count)s.") % {"count": change["count"]})
        elif what == "documents":
            lines.append(_("New documents: %(count)s.") % {"count": change["count"]})
        elif what == "resolution":
            lines.append(_("The resolution was published or changed."))
        elif what == "remarks":
            lines.append(_("The council's remarks were published or changed."))
        elif what == "window":
            lines.append(_("The dates of the public discussion changed."))
        elif what == "draft":
            lines.append(_("The text of the draft was published or replaced."))
    return lines


# ---- queueing and sending -------------------------------------------------------------------------------------


def _batch() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ALERTS_FOLLOW_BATCH_MINUTES)


def confirmed_follows() -> QuerySet[Subscription]:
    return Subscription.objects.filter(confirmed_at__isnull=False).exclude(NO_ITEM)


@transaction.atomic
def follow_news_queue(
    *, subscription_id: int, now: dt.datetime | None = None, states: dict[tuple[str, int], State | None] | None = None
) -> bool:
    """Queue one follower's news if what the public sees of the item changed; returns whether a mail was queued.

    `states` keeps the public state of each item across one run, so many followers of one item cost one read.
    """
    now = now or timezone.now()
    subscription = confirmed_follows().select_for_update().filter(pk=subscription_id).first()
    if subscription is None:
        return False
    if subscription.notified_at is not None and now - subscription.notified_at < _batch():
        return False  # told recently: what changes meanwhile goes out in the next mail
    key = (subscription.item_kind, subscription.item_id or 0)
    if states is None or key not in states:
        state = public_state(subscription)
        if states is not None:
            states[key] = state
    else:
        state = states[key]
    if state is None:
        return False  # not public at the moment: nothing is told, and the cursor keeps what was
    changes = diff(subscription.cursor or {}, state)
    if state == subscription.cursor:
        return False
    subscription.cursor = state
    fields = ["cursor"]
    if changes:
        subscription.notified_at = now
        fields.append("notified_at")
        outbox_enqueue(handler=MAIL_TARGET, kwargs={"subscription_id": subscription.pk, "changes": changes})
    subscription.save(update_fields=fields)
    return bool(changes)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@handler(MAIL_TARGET)
def send_follow_news(*, subscription_id: int, changes: list[dict[str, Any]]) -> int:
    """The outbox handler: tell the follower what changed, in their language. Returns mails sent."""
    subscription = confirmed_follows().filter(pk=subscription_id).first()
    if subscription is None:
        return 0  # unsubscribed since the news was queued
    item = subscription.item
    if item is None:
        return 0  # deleted since the news was queued (its followers go with it)
    kind = followable(subscription.item_kind)
    link = unsubscribe_url(subscription)
    with translation.override(subscription.language):
        context = {
            "kind": kind.label,
            "title": subscription.target_name,
            "lines": change_lines(subscription.item_kind, changes),
            "item_url": _site(kind.path(item)),
            "unsubscribe_url": link,
        }
        subject = render_to_string("alerts/email/follow_subject.txt", context).strip()
        body = render_to_string("alerts/email/follow_body.txt", context)
    mail = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    return get_connection().send_messages([mail]) or 0
