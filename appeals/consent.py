"""The end of an appeal whose applicant withdrew consent: the last mail the law requires, then anonymisation.

One outbox job does both, in this order, so that the answer (or the reasons it was left without consideration)
reaches the applicant before their address is erased; a failed mail leaves the job pending, and the data with it,
until the outbox tries again.
"""

from __future__ import annotations

from .notifications import appeal_send_mail
from .retention import appeal_anonymise


def appeal_end_withdrawn(*, appeal_id: int, event: str) -> None:
    appeal_send_mail(appeal_id=appeal_id, event=event)
    appeal_anonymise(appeal_id=appeal_id)
