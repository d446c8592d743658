"""Hostile input against the public participation forms (a comment on a hearing or a draft, a registration to
attend): markup and SQL are stored as text and shown escaped once published; NUL bytes, megabyte strings, forged
choices and broken addresses are refused with a clear 4xx and store nothing; no answer is ever a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation.models import CommentStatus, HearingRegistration, PublicComment
from tests import factories as f

from . import hostile as h

pytestmark = pytest.mark.django_db
CLEAR_4XX = {400, 403, 404, 405, 413, 429}


@pytest.fixture
def hearing(personas):
    today = timezone.localdate()
    cache.clear()
    return f.PublicHearingFactory(
        council=personas.council,
        date=today + dt.timedelta(days=5),
        comments_open=today - dt.timedelta(days=1),
        comments_close=today + dt.timedelta(days=1),
    )


def _comment(**overrides: Any) -> dict[str, list[h.FieldValue]]:
    data: dict[str, Any] = {
        "kind": "comment",
        "text": "Замечание по проекту",
        "name": "Ахметова Динара",
        "email": "dinara@example.kz",
        "pseudonym": "",
        "personal_data_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}


COMMENT_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("text-script", {"text": h.SCRIPT}, True),
    ("pseudonym-img", {"pseudonym": h.IMG[:60]}, True),
    ("name-script", {"name": h.SCRIPT}, True),
    ("text-sql-drop", {"text": h.SQL_DROP}, True),
    ("kind-sql", {"kind": h.SQL_OR}, False),
    ("email-script", {"email": f"{h.SCRIPT}@example.kz"}, False),
    ("text-nul", {"text": h.NUL}, False),
    ("name-nul", {"name": h.NUL}, False),
    ("text-megabyte", {"text": h.MEGABYTE}, False),
    ("pseudonym-too-long", {"pseudonym": "Я" * 61}, False),
    ("consent-script", {"personal_data_consent": h.SCRIPT}, True),
    ("two-texts", {"text": [h.SCRIPT, h.IMG]}, True),
    ("text-overlong-utf8", {"text": h.OVERLONG}, True),
]


@pytest.mark.parametrize(("case", "overrides", "stored"), COMMENT_CASES, ids=[c[0] for c in COMMENT_CASES])
def test_comment_form(personas, hearing, case, overrides, stored):
    url = reverse("reports:hearing_consultation", kwargs={"slug": personas.council.slug, "pk": hearing.pk})
    before = h.row_counts()

    response = h.post_multipart(Client(), url, _comment(**overrides))

    assert response.status_code != 500
    h.assert_nothing_raw(response.content, where=case)
    if not stored:
        assert response.status_code in CLEAR_4XX, f"{case}: {response.status_code}"
        assert h.changed_tables(before, h.row_counts()) == {}
        return
    assert response.status_code == 302, f"{case}: {response.status_code}"
    comment = PublicComment.objects.get()
    # Published, the value is shown escaped on the public page and in the workspace.
    PublicComment.objects.filter(pk=comment.pk).update(status=CommentStatus.PUBLISHED)
    public = Client().get(url)
    staff = personas.client_for(personas.secretary).get(
        reverse("participation_ws:comment", kwargs={"slug": personas.council.slug, "pk": comment.pk})
    )
    assert public.status_code == staff.status_code == 200
    h.assert_nothing_raw(public.content, staff.content, where=case)


REGISTRATION_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("questions-script", {"questions": h.SCRIPT}, True),
    ("organisation-sql", {"organisation": h.SQL_DROP}, True),
    ("name-img", {"name": h.IMG}, True),
    ("email-sql", {"email": h.SQL_OR}, False),
    ("questions-nul", {"questions": h.NUL}, False),
    ("questions-megabyte", {"questions": h.MEGABYTE}, False),
    ("no-consent", {"personal_data_consent": ""}, False),
    ("honeypot", {"website": "http://spam.example"}, False),
]


@pytest.mark.parametrize(("case", "overrides", "stored"), REGISTRATION_CASES, ids=[c[0] for c in REGISTRATION_CASES])
def test_registration_form(personas, hearing, case, overrides, stored):
    url = reverse("reports:hearing_register", kwargs={"slug": personas.council.slug, "pk": hearing.pk})
    data = {
        "name": "Серикбаев Нурлан",
        "email": "nurlan@example.kz",
        "organisation": "",
        "questions": "",
        "personal_data_consent": "on",
        "website": "",
        **overrides,
    }
    before = h.row_counts()

    response = h.post_multipart(Client(), url, {k: [v] for k, v in data.items()})

    assert response.status_code != 500
    h.assert_nothing_raw(response.content, where=case)
    if not stored:
        assert response.status_code in CLEAR_4XX, f"{case}: {response.status_code}"
        assert h.changed_tables(before, h.row_counts()) == {}
        return
    assert response.status_code == 302
    registration = HearingRegistration.objects.get()
    listing = personas.client_for(personas.secretary).get(
        reverse("participation_ws:registrations", kwargs={"slug": personas.council.slug, "pk": hearing.pk})
    )
    assert listing.status_code == 200
    h.assert_nothing_raw(listing.content, where=case)
    assert registration.hearing == hearing


def test_a_hostile_cancel_token_gives_404():
    for token in (h.SCRIPT, h.SQL_OR, "a" * 5000):
        response = Client().get(f"/ru/hearing-registrations/{token}/cancel/")
        assert response.status_code == 404
