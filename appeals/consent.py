"""The end of an appeal whose applicant withdrew consent: the last mail the law requires, then anonymisation.

One outbox job does both, in this order, so that the answer (or the reasons it was left without consideration)
reaches the applicant before their address is erased; a failed mail leaves the job pending, and the data with it,
until the outbox tries again. When the outbox gives up on the mail (its last try failed, or the error is
permanent), the data is anonymised anyway: the law's mail is owed, but not at the price of keeping the data of
someone who withdrew consent. Both steps are idempotent (the mail is sent again only if a worker died between
the two; anonymising an anonymised appeal changes nothing).
"""

from __future__ import annotations

from core.outbox import handler

from .notifications import appeal_send_mail
from .retention import appeal_anonymise


def _anonymise_anyway(*, appeal_id: int, event: str) -> None:
    appeal_anonymise(appeal_id=appeal_id)


@handler("appeals.end_withdrawn", on_give_up=_anonymise_anyway)
def appeal_end_withdrawn(*, appeal_id: int, event: str) -> None:
    appeal_send_mail(appeal_id=appeal_id, event=event)
    appeal_anonymise(appeal_id=appeal_id)
