"""The nightly retention task of the stakeholder registry (Celery beat: `stakeholder-contacts-anonymise-expired`)."""

from __future__ import annotations

from celery import shared_task

from .retention import contacts_anonymise_expired


@shared_task
def anonymise_expired_contacts() -> int:
    return contacts_anonymise_expired()
