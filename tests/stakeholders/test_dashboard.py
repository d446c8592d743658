"""The registry's dashboard panel: the counts, and the contact people whose data the retention rule clears within
60 days unless the council deals with them again, soonest first, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import Contact
from tests import factories as f

pytestmark = pytest.mark.django_db


def _dashboard(client, council):
    url = reverse("workspace:dashboard", kwargs={"slug": council.slug})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return page, len(queries)


def test_the_panel_counts_the_registry_and_lists_the_contacts_due_to_be_cleared(personas, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "STAKEHOLDER_CONTACT_RETENTION_YEARS": 3}
    council, today = personas.council, timezone.localdate()
    client = personas.client_for(personas.secretary)
    page, _few = _dashboard(client, council)
    assert 'id="stakeholders-panel"' not in page.content.decode()  # an empty registry shows nothing

    media = f.PartnerProfileFactory(partner__council=council, category="media").partner
    ngo = f.PartnerProfileFactory(partner__council=council, category="ngo").partner
    f.ContactFactory(partner=media, full_name="Журналист Свежий")
    f.ContactFactory(partner=media, full_name="Журналист Без Почты", email="")
    soon = f.ContactFactory(partner=ngo, full_name="Активист Давний")
    later = f.ContactFactory(partner=ngo, full_name="Активист Недавний")
    f.ContactFactory(partner=f.PartnerFactory(council=personas.other_council), full_name="Чужой Контакт")
    Contact.objects.filter(pk=soon.pk).update(last_dealt_on=today.replace(year=today.year - 3) + dt.timedelta(days=10))
    Contact.objects.filter(pk=later.pk).update(last_dealt_on=today.replace(year=today.year - 2))

    page, few = _dashboard(client, council)
    counts = page.context["stakeholder_counts"]
    assert (counts.organisations, counts.contacts, counts.media_contacts, counts.due) == (2, 4, 1, 1)
    (due,) = page.context["stakeholder_due"]
    assert due.contact == soon and due.cleared_on == today + dt.timedelta(days=10)
    html = page.content.decode()
    assert "Активист Давний" in html and "Активист Недавний" not in html and "Чужой Контакт" not in html
    assert reverse("stakeholders_ws:contact_edit", args=[council.slug, soon.pk]) in html

    # More contacts due: the page asks no more of the database, and lists five.
    for i in range(8):
        old = f.ContactFactory(partner=ngo, full_name=f"Давний {i}")
        Contact.objects.filter(pk=old.pk).update(last_dealt_on=today.replace(year=today.year - 4))
    page, more = _dashboard(client, council)
    assert more == few and len(page.context["stakeholder_due"]) == 5
    assert page.context["stakeholder_counts"].due == 9
