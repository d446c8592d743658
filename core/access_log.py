"""`log_personal_data_view`: the one call a staff view makes when it shows someone's personal data.

The apps that show personal data (appeals: the appeal page, its attachments, the inbox export) stand below the
app that keeps the log (privacy), so they announce the view through this signal rather than import it, the way
`calendar_changed` lets core announce a calendar change (STYLE.md, "Registries point the right way"). The
receiver writes the log entry in the same request, so a view that returned the data has been logged.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.dispatch import Signal
from django.http import HttpRequest

# Sent with `user`, `records` (a model instance or a queryset of them), `what` and `detail`.
personal_data_viewed = Signal()


def log_personal_data_view(request: HttpRequest, records: Model | QuerySet[Model], what: str, detail: str = "") -> None:
    """Record that `request.user` saw the personal data of `records` (`what`: "detail", "attachment", "export")."""
    personal_data_viewed.send(
        sender=type(records) if isinstance(records, Model) else records.model,
        user=request.user,
        records=records,
        what=what,
        detail=detail,
    )
