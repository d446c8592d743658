"""Writes: a person's request, its confirmation through a one-time link, and the staff's answers.

1. `request_submit` stores what was asked and mails a one-time link (signed, expiring, single use).
2. `request_confirm` (the link followed) registers the request, once per council that holds data under the
   address. What belongs to no council (a subscription to a state body's news) and a request matching nothing are
   answered by the portal at once.
3. The council's secretary or chair answers: `request_assemble` (access: the file, mailed as a one-time download
   link), `request_mark_corrected`, `request_erase`, or `request_refuse` with a legal ground.
Every mail goes through the outbox, in the language the person wrote in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from appeals.retention import ENDED_STATUSES, appeal_anonymise

if TYPE_CHECKING:
    from appeals.models import Appeal
from core.outbox import outbox_enqueue
from core.personal_data import fields_of, records_of
from councils.models import Council

from .export import councils_holding, render_export, scoped
from .models import DataRequest, RefusalGround, RequestConfirmation, RequestKind, RequestStatus

CONFIRM_SALT = "privacy.request.confirm"
DOWNLOAD_SALT = "privacy.request.download"


def _hours(name: Literal["PRIVACY_LINK_HOURS", "PRIVACY_DOWNLOAD_HOURS"]) -> dt.timedelta:
    return dt.timedelta(hours=settings.OVERSIGHT[name])


def _mail(event: str, **kwargs: object) -> None:
    outbox_enqueue(handler="privacy.send_mail", kwargs={"event": event, **kwargs})


# --- 1. The request and its one-time link --------------------------------------------------------------------


@transaction.atomic
def request_submit(
    *, email: str, kind: str, details: str = "", council: Council | None = None, language: str = "ru"
) -> RequestConfirmation:
    confirmation = RequestConfirmation.objects.create(
        email=email.strip(), kind=kind, details=details.strip(), council=council, language=language
    )
    _mail("confirm", confirmation_id=confirmation.pk)
    return confirmation


def confirmation_token(confirmation: RequestConfirmation) -> str:
    return signing.dumps(confirmation.pk, salt=CONFIRM_SALT)


def confirmation_for_token(token: str, *, now: dt.datetime | None = None) -> RequestConfirmation | None:
    """The unconfirmed request a link names, or None: a forged, expired or already followed link."""
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=_hours("PRIVACY_LINK_HOURS"))
    except signing.BadSignature:  # SignatureExpired too
        return None
    now = now or timezone.now()
    return RequestConfirmation.objects.filter(
        pk=pk, used_at__isnull=True, created_at__gt=now - _hours("PRIVACY_LINK_HOURS")
    ).first()


def _register(confirmation: RequestConfirmation, council_id: int | None, now: dt.datetime) -> DataRequest:
    request = DataRequest.objects.create(
        number=f"tmp-{get_random_string(20)}",
        kind=confirmation.kind,
        email=confirmation.email,
        details=confirmation.details,
        council_id=council_id,
        confirmation=confirmation,
        language=confirmation.language,
        received_at=now,
    )
    request.number = f"PD-{timezone.localdate(now).year}-{request.pk:05d}"
    request.save(update_fields=["number"])
    return request


@transaction.atomic
def request_confirm(*, token: str, now: dt.datetime | None = None) -> list[DataRequest]:
    """Register the request a link names; [] when the link is not (or no longer) valid.

    1. Claim the confirmation by compare-and-swap, so a link followed twice registers once.
    2. One request per council holding rows under the address (only the named council, when one was named).
    3. What belongs to no council, and a request that matches nothing, get the portal's request, answered now.
    """
    now = now or timezone.now()
    confirmation = confirmation_for_token(token, now=now)
    if confirmation is None:
        return []
    if not RequestConfirmation.objects.filter(pk=confirmation.pk, used_at__isnull=True).update(used_at=now):
        return []
    council_ids, councilless = councils_holding(confirmation.email)
    if confirmation.council_id is not None:
        council_ids &= {confirmation.council_id}
        councilless = False
    requests = [_register(confirmation, council_id, now) for council_id in sorted(council_ids)]
    if councilless or not requests:
        held = councilless
        if confirmation.council_id is not None and not held:
            # The person asked one council: its (empty) answer comes from it, registered like the others.
            portal = _register(confirmation, confirmation.council_id, now)
        else:
            portal = _register(confirmation, None, now)
        _answer_by_portal(portal, now=now, held=held)
        requests.append(portal)
    for request in requests:
        if request.status == RequestStatus.OPEN:
            _mail("registered", request_id=request.pk)
    return requests


def _answer_by_portal(request: DataRequest, *, now: dt.datetime, held: bool) -> None:
    """The portal answers at once what no council holds: "nothing held", or the council-less rows."""
    if not held:
        _finish(request, by=None, status=RequestStatus.FULFILLED, answer=_("Nothing is held under this address."))
        _mail("nothing_held", request_id=request.pk)
    elif request.kind == RequestKind.ACCESS:
        _assemble(request, by=None, now=now)
    elif request.kind == RequestKind.ERASURE:
        _erase(request, by=None, note="")
    else:
        # An alert subscription is only an address: it is corrected by subscribing again with the right one.
        answer = _("Unsubscribe with the link in any alert and subscribe again with the corrected address.")
        _finish(request, by=None, status=RequestStatus.FULFILLED, answer=answer)
        _mail("answered", request_id=request.pk)


# --- 2. The staff's answers ----------------------------------------------------------------------------------


def _lock_open(request: DataRequest) -> DataRequest:
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ValidationError(_("This request has already been answered."), code="not_open")
    return locked


def _finish(
    request: DataRequest,
    *,
    by: User | None,
    status: str,
    answer: str,
    ground: str = "",
) -> None:
    request.status = status
    request.answer = answer
    request.refusal_ground = ground
    request.handled_by = by
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "answer", "refusal_ground", "handled_by", "handled_at"])


def _assemble(request: DataRequest, *, by: User | None, now: dt.datetime) -> None:
    filename, _content_type, content = render_export(
        email=request.email, council_id=request.council_id, number=request.number, language=request.language
    )
    # A random name: the file is reached only through the signed link, never by guessing its path.
    request.export_file.save(f"{get_random_string(32)}.zip", ContentFile(content), save=False)
    request.export_expires_at = now + _hours("PRIVACY_DOWNLOAD_HOURS")
    request.save(update_fields=["export_file", "export_expires_at"])
    _finish(
        request,
        by=by,
        status=RequestStatus.FULFILLED,
        answer=_("The file with your data is ready: %(name)s.") % {"name": filename},
    )
    _mail("file_ready", request_id=request.pk)


@transaction.atomic
def request_assemble(*, request: DataRequest, by: User) -> DataRequest:
    """Access: build the file from the register and mail the person a one-time download link."""
    request = _lock_open(request)
    if request.kind != RequestKind.ACCESS:
        raise ValidationError(_("Only an access request is answered with a file."), code="wrong_kind")
    _assemble(request, by=by, now=timezone.now())
    return request


@transaction.atomic
def request_mark_corrected(*, request: DataRequest, by: User, note: str) -> DataRequest:
    """Correction: the staff corrected the record through its own page; the note tells the person what changed."""
    request = _lock_open(request)
    if request.kind != RequestKind.CORRECTION:
        raise ValidationError(_("Only a correction request is marked as corrected."), code="wrong_kind")
    _finish(request, by=by, status=RequestStatus.FULFILLED, answer=note)
    _mail("answered", request_id=request.pk)
    return request


@dataclass(frozen=True)
class ErasureResult:
    erased: list[str]
    kept: list[str]


def _erase_rows(model: type[models.Model], rows: models.QuerySet[models.Model]) -> ErasureResult:
    """Clear a model's declared personal fields as each declaration says (blank, null, delete the file)."""
    erased = [str(obj) for obj in rows]
    values: dict[str, object] = {}
    for entry in fields_of(model):
        if entry.declaration.erase == "null":
            values[entry.field.name] = None
        elif entry.declaration.erase == "file":
            for obj in rows:
                getattr(obj, entry.field.name).delete(save=False)
            values[entry.field.name] = ""
        else:
            values[entry.field.name] = ""
    if values:
        rows.update(**values)
    return ErasureResult(erased=erased, kept=[])


def _erase_appeals(rows: models.QuerySet[Appeal]) -> ErasureResult:
    """An ended appeal is anonymised as retention does (its number and figures stay); an open one is kept: the
    Administrative Procedural Code requires its record until it is answered."""
    erased, kept = [], []
    for appeal in rows.order_by("pk"):
        if appeal.status in ENDED_STATUSES and appeal_anonymise(appeal_id=appeal.pk):
            erased.append(appeal.number)
        else:
            kept.append(appeal.number)
    return ErasureResult(erased=erased, kept=kept)


def _delete_rows(rows: models.QuerySet[models.Model]) -> ErasureResult:
    erased = [str(obj) for obj in rows]
    rows.delete()
    return ErasureResult(erased=erased, kept=[])


# How each subject model is erased; a model not named here has its declared fields cleared. Messages and
# attachments hang from their appeal and go with it.
ERASERS = {
    "appeals.appeal": _erase_appeals,
    "appeals.appealmessage": None,
    "appeals.appealattachment": None,
    "alerts.subscription": _delete_rows,
}


def _erase(request: DataRequest, *, by: User | None, note: str) -> ErasureResult:
    erased: list[str] = []
    kept: list[str] = []
    for model, queryset in records_of(request.email).items():
        rows = scoped(model, queryset, request.council_id)
        label = model._meta.label_lower
        if label in ERASERS:
            eraser = ERASERS[label]
            if eraser is None:
                continue
            result = eraser(rows)
        else:
            result = _erase_rows(model, rows)
        erased += result.erased
        kept += result.kept
    lines = []
    if erased:
        lines.append(_("Erased: %(list)s.") % {"list": ", ".join(erased)})
    if kept:
        lines.append(
            _("Kept: %(list)s. %(ground)s") % {"list": ", ".join(kept), "ground": RefusalGround.APPEAL_OPEN.label}
        )
    if note:
        lines.append(note)
    if kept and not erased:
        _finish(request, by=by, status=RequestStatus.REFUSED, answer="\n".join(lines), ground=RefusalGround.APPEAL_OPEN)
    else:
        _finish(request, by=by, status=RequestStatus.FULFILLED, answer="\n".join(lines))
    _mail("answered", request_id=request.pk)
    return ErasureResult(erased=erased, kept=kept)


@transaction.atomic
def request_erase(*, request: DataRequest, by: User, note: str = "") -> ErasureResult:
    """Erasure: anonymise the ended appeals, delete the subscriptions; open appeals are kept, with the ground."""
    request = _lock_open(request)
    if request.kind != RequestKind.ERASURE:
        raise ValidationError(_("Only an erasure request erases data."), code="wrong_kind")
    return _erase(request, by=by, note=note)


@transaction.atomic
def request_refuse(*, request: DataRequest, by: User, ground: str, note: str = "") -> DataRequest:
    """Refuse, only on a legal ground from the list; the ground is told to the person."""
    if ground not in RefusalGround.values:
        raise ValidationError(_("Choose the legal ground of the refusal."), code="no_ground")
    request = _lock_open(request)
    answer = str(RefusalGround(ground).label) + (f"\n{note}" if note else "")
    _finish(request, by=by, status=RequestStatus.REFUSED, answer=answer, ground=ground)
    _mail("answered", request_id=request.pk)
    return request


# --- 3. The download link ------------------------------------------------------------------------------------


def download_token(request: DataRequest) -> str:
    return signing.dumps(request.pk, salt=DOWNLOAD_SALT)


def export_for_token(token: str, *, now: dt.datetime | None = None) -> DataRequest | None:
    """The request whose file a link names, or None: forged, expired, already downloaded, or no file."""
    try:
        pk = signing.loads(token, salt=DOWNLOAD_SALT, max_age=_hours("PRIVACY_DOWNLOAD_HOURS"))
    except signing.BadSignature:
        return None
    now = now or timezone.now()
    return (
        DataRequest.objects.filter(pk=pk, downloaded_at__isnull=True, export_expires_at__gt=now)
        .exclude(export_file="")
        .first()
    )


def export_claim(*, request: DataRequest, now: dt.datetime | None = None) -> bool:
    """Spend the one-time link (compare-and-swap); False when it was spent meanwhile."""
    now = now or timezone.now()
    return bool(DataRequest.objects.filter(pk=request.pk, downloaded_at__isnull=True).update(downloaded_at=now))


def privacy_purge(*, now: dt.datetime | None = None) -> int:
    """Delete what is no longer needed: confirmations past their link's life (they hold the address) and the files
    whose link has expired or was spent a day ago. Returns how many rows were touched. Safe to run again."""
    now = now or timezone.now()
    count, _by_model = RequestConfirmation.objects.filter(created_at__lt=now - _hours("PRIVACY_LINK_HOURS")).delete()
    stale = DataRequest.objects.exclude(export_file="").filter(
        models.Q(export_expires_at__lt=now) | models.Q(downloaded_at__lt=now - dt.timedelta(days=1))
    )
    for request in stale:
        request.export_file.delete(save=False)
        DataRequest.objects.filter(pk=request.pk).update(export_file="")
        count += 1
    return count
