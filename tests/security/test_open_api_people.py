"""The open API never publishes a person of an unpublished council, even when a record of a published council links
to one (issue 12, finding 2: the admin used to accept any person's id in a body seat or a monitoring participant,
and such links may still be in a database written before the fix)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from config.api import router
from councils.models import BodyMembership, ConsultativeSeat, Membership
from monitoring.models import MonitoringParticipant
from tests.factories import BodyFactory, ConsultativeSeatFactory, MonitoringEventFactory, PersonFactory

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Скрытов Скрыт Скрытович"


@pytest.fixture
def foreign_person_linked(personas):
    """Council B is unpublished; A's body, event, seat and membership each point at B's person."""
    a, b = personas.council, personas.other_council
    b.is_published = False
    b.save(update_fields=["is_published"])
    hidden = PersonFactory(council=b, full_name=HIDDEN_NAME)
    own = PersonFactory(council=a, full_name="Открытая Персона")
    body = BodyFactory(council=a, convocation=a.convocations.get())
    BodyMembership.objects.create(body=body, person=hidden)
    BodyMembership.objects.create(body=body, person=own)
    event = MonitoringEventFactory(council=a, commission=body)
    MonitoringParticipant.objects.create(event=event, person=hidden, position=1)
    MonitoringParticipant.objects.create(event=event, person=own, position=2)
    ConsultativeSeatFactory(council=a, person=own)
    ConsultativeSeat.objects.create(
        council=a, key="cs-hidden", person=hidden, body_name="Комиссия", level="local", start_date="2019-05-01"
    )
    Membership.objects.create(convocation=a.convocations.get(), person=hidden, start_date="2019-03-01")
    Membership.objects.create(convocation=b.convocations.get(), person=own, start_date="2019-03-01")
    return hidden, own


def test_person_of_unpublished_council_never_in_open_api(client, foreign_person_linked):
    hidden, own = foreign_person_linked
    seen_own = False
    for prefix, _viewset, basename in router.registry:
        response = client.get(reverse(f"open_api:{basename}-list"), {"page_size": 100})
        assert response.status_code == 200, prefix
        body = json.dumps(response.json(), ensure_ascii=False)
        assert HIDDEN_NAME not in body, f"/api/v1/{prefix}/ publishes a person of an unpublished council"
        assert f'"person_id": {hidden.pk}' not in body and f'"id": {hidden.pk}, "full_name"' not in body, prefix
        seen_own = seen_own or own.full_name in body
    assert seen_own  # the published council's own person is still there: the filter is not everything-or-nothing
    person = client.get(reverse("open_api:person-detail", args=[own.pk])).json()
    # A's person's membership of unpublished B's convocation is B's private record.
    assert [m["convocation"]["name"] for m in person["memberships"]] == []
    assert client.get(reverse("open_api:person-detail", args=[hidden.pk])).status_code == 404
