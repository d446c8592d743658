"""What a citizen can follow by e-mail, registered by the apps that own it.

An alert subscription that follows one thing names it by a (kind, id) pair (`alerts.Subscription.item_kind`,
`item_id`) rather than by a foreign key per kind, so `alerts` lists none of the apps' models: each app adds the
kinds it owns in its `AppConfig.ready()`, the way it registers its dashboard panel or its plan records:

    register_followable(Followable(
        "recommendation", _("Recommendation"), "monitoring.Recommendation",
        public=public_recommendations, state=recommendation_state, path=recommendation_path,
        title=lambda r: r.text, council=lambda r: r.council, segment="recommendations",
    ))

A kind says:

1. `public()`: the objects the public may see, and so follow (no drafts, no unpublished council);
2. `state(obj)`: what the public sees of one object now, as a small JSON-able dictionary of codes, ids, dates and
   digests of texts (never a text itself; `alerts/follow.py` compares it with what the follower was last told,
   and its keys name the changes the mail tells);
3. `path(obj)`: its public page; `title(obj)`: what names it in a mail; `council(obj)`: the council the follow
   is kept under for the register of personal data and data-subject requests (None for a record of the whole
   portal, such as a state body);
4. `statuses`: the choices whose labels the mail uses for a changed status; `segment`: its part of the follow
   form's address (`/alerts/follow/<segment>/<id>/`); `about`: what the follow form says is told, when the
   general sentence does not fit.

Deleting a followed object sends `followable_deleted(kind=..., pk=...)`, so its followers go with it as they
would with a foreign key's cascade (alerts connects to it); core imports no app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet, TextChoices
from django.db.models.signals import post_delete
from django.dispatch import Signal
from django.utils.functional import Promise

State = dict[str, Any]


def text_digest(text: str) -> str:
    """A text's fingerprint: a follower's cursor tells that a text changed without keeping it."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16] if text.strip() else ""


def iso_day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# Sent with kind=<key> and pk=<id> when a followed kind's object is deleted.
followable_deleted = Signal()


@dataclass(frozen=True)
class Followable:
    key: str
    label: str | Promise
    model_label: str
    public: Callable[[], QuerySet[Any]]
    state: Callable[[Any], State]
    path: Callable[[Any], str]
    title: Callable[[Any], str]
    council: Callable[[Any], Model | None]
    segment: str
    statuses: type[TextChoices] | None = None
    # What the follow form says the follower is told of ("" for the general sentence), and whether the title is
    # an official name kept in three languages (shown through `tr_name`) rather than a text kept in Russian.
    about: str | Promise = ""
    official_name: bool = False

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def public_get(self, pk: int) -> Any | None:
        """The object the public may see (and so follow), or None."""
        return self.public().filter(pk=pk).first()

    def _deleted(self, sender: type[Model], instance: Model, **kwargs: Any) -> None:
        followable_deleted.send(sender=sender, kind=self.key, pk=instance.pk)


_kinds: dict[str, Followable] = {}


def register_followable(kind: Followable) -> None:
    """Add an app's followable kind; registering the same kind again (a second `ready()`) changes nothing."""
    known = _kinds.get(kind.key)
    if known is not None:
        if known.model_label != kind.model_label or known.segment != kind.segment:
            raise ImproperlyConfigured(f"Two followable kinds are named {kind.key!r}.")
        return
    if any(other.segment == kind.segment for other in _kinds.values()):
        raise ImproperlyConfigured(f"Two followable kinds use the address segment {kind.segment!r}.")
    _kinds[kind.key] = kind
    post_delete.connect(kind._deleted, sender=kind.model_label, dispatch_uid=f"core.follow.{kind.key}", weak=False)


def followable(key: str) -> Followable:
    """The registered kind, or KeyError."""
    return _kinds[key]


def followables() -> dict[str, Followable]:
    return dict(_kinds)
