"""A table's «Name» column says whose name it is: a person's («ФИО», «Аты-жөні») or a thing's («Наименование»,
«Атауы»). One word for both read «Аты-жөні / атауы» over a list of mailing groups."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from stakeholders.models import MailingGroup
from tests import factories as f

pytestmark = pytest.mark.django_db


def _headers(client, name, slug, language):
    with translation.override(language):
        url = reverse(name, args=[slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(
    ("language", "person", "thing", "both"),
    [("kk", "Аты-жөні", "Атауы", "Аты-жөні / атауы"), ("ru", "ФИО", "Наименование", "ФИО / наименование")],
)
def test_people_and_things_have_their_own_name_column(personas, language, person, thing, both):
    client = personas.client_for(personas.secretary)
    slug = personas.council.slug
    f.ContactFactory(partner=f.PartnerFactory(council=personas.council), full_name="Асель Нурова")
    MailingGroup.objects.create(council=personas.council, name="СМИ")
    f.BodyFactory(council=personas.council)

    contacts = _headers(client, "stakeholders_ws:contacts", slug, language)
    groups = _headers(client, "stakeholders_ws:groups", slug, language)
    staff = _headers(client, "workspace:staff", slug, language)
    bodies = _headers(client, "councils_ws:bodies", slug, language)

    for page in (contacts, staff):
        assert f'<th scope="col">{person}</th>' in page
    for page in (groups, bodies):
        assert f'<th scope="col">{thing}</th>' in page
    assert not any(both in page for page in (contacts, groups, staff, bodies))
