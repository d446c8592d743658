"""The registry's press office (core/press.py): the news app sends an item to the council's media group through
it, once per item, as a mail-out through the outbox with each message's one-click unsubscribe link."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.press import PressRelease, PressSent
from councils.models import Council

from .models import MailOut
from .services import MailOutData, mail_out_send, media_group_get_or_create


def _sent(mail_out: MailOut) -> PressSent:
    return PressSent(at=mail_out.created_at, language=mail_out.language, recipients=mail_out.deliveries.count())


class MediaGroupOffice:
    def sent(self, *, council: Council, source: str) -> PressSent | None:
        mail_out = MailOut.objects.filter(council=council, source=source).first()
        return _sent(mail_out) if mail_out is not None else None

    def send(self, *, council: Council, release: PressRelease, by: Any) -> PressSent:
        if not release.source:
            raise ValueError("a press release names the record it sends")
        already = self.sent(council=council, source=release.source)
        if already is not None:
            raise ValidationError(
                _("It was sent to the media group already, on %(date)s.")
                % {"date": formats.date_format(timezone.localtime(already.at), "SHORT_DATETIME_FORMAT")}
            )
        try:
            with transaction.atomic():
                mail_out = mail_out_send(
                    council=council,
                    data=MailOutData(
                        group=media_group_get_or_create(council=council),
                        subject=release.subject,
                        body=release.body,
                        language=release.language,
                        source=release.source,
                    ),
                    by=by,
                )
        except IntegrityError:
            # Two clicks at once: the other one sent it.
            raise ValidationError(_("It was sent to the media group already.")) from None
        return _sent(mail_out)


OFFICE = MediaGroupOffice()
