"""Who looked (issue 22, item 5): staff views of an appeal's personal data are logged; the chair reads the log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appeals.models import AppealAttachment
from councils.models import CouncilStaff, StaffRole
from privacy.models import AccessLogEntry, ViewKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _chair(username, council):
    user = User.objects.create_user(username=username, password="x", is_staff=True)
    CouncilStaff.objects.create(user=user, council=council, role=StaffRole.CHAIR)
    return user


@pytest.fixture
def appeal(personas):
    return f.AppealFactory(council=personas.council, email="a@example.kz")


def _log(user=None):
    entries = AccessLogEntry.objects.all()
    if user is not None:
        entries = entries.filter(user=user)
    return list(entries.values_list("appeal_number", "what"))


def test_opening_an_appeals_page_is_logged(personas, appeal):
    url = reverse("appeals_staff:detail", kwargs={"slug": personas.council.slug, "number": appeal.number})

    assert personas.client_for(personas.member).get(url).status_code == 200

    assert _log(personas.member) == [(appeal.number, ViewKind.DETAIL)]


def test_downloading_an_attachment_is_logged(personas, appeal):
    attachment = AppealAttachment.objects.create(
        appeal=appeal,
        file=SimpleUploadedFile("akt.pdf", b"%PDF-1.4\n%%EOF\n"),
        original_name="akt.pdf",
        content_type="application/pdf",
        size=15,
    )
    url = reverse(
        "appeals_staff:attachment",
        kwargs={"slug": personas.council.slug, "number": appeal.number, "attachment_id": attachment.pk},
    )

    assert personas.client_for(personas.secretary).get(url).status_code == 200

    assert _log(personas.secretary) == [(appeal.number, ViewKind.ATTACHMENT)]
    assert AccessLogEntry.objects.get().detail == "akt.pdf"


def test_an_export_logs_every_exported_appeal_and_no_other(personas, appeal):
    second = f.AppealFactory(council=personas.council)
    f.AppealFactory(council=personas.other_council)
    url = reverse("appeals_staff:export", kwargs={"slug": personas.council.slug})

    response = personas.client_for(personas.secretary).get(url)
    assert response.status_code == 200

    assert sorted(_log(personas.secretary)) == sorted(
        [(appeal.number, ViewKind.EXPORT), (second.number, ViewKind.EXPORT)]
    )
    assert set(AccessLogEntry.objects.values_list("council", flat=True)) == {personas.council.pk}


def test_a_refused_view_logs_nothing(personas, appeal):
    url = reverse("appeals_staff:detail", kwargs={"slug": personas.council.slug, "number": appeal.number})

    assert personas.client_for(personas.other_secretary).get(url).status_code == 404

    assert _log() == []


def test_the_chair_sees_everyone_in_the_council_and_no_other_council(personas, appeal):
    chair = _chair("chair", personas.council)
    other_chair = _chair("other-chair", personas.other_council)
    theirs = f.AppealFactory(council=personas.other_council)
    personas.client_for(personas.member).get(
        reverse("appeals_staff:detail", kwargs={"slug": personas.council.slug, "number": appeal.number})
    )
    personas.client_for(other_chair).get(
        reverse("appeals_staff:detail", kwargs={"slug": personas.other_council.slug, "number": theirs.number})
    )
    log_url = reverse("privacy_staff:access_log", kwargs={"slug": personas.council.slug})

    page = personas.client_for(chair).get(log_url)

    assert page.status_code == 200
    assert f'data-appeal="{appeal.number}"' in page.content.decode()
    assert theirs.number not in page.content.decode()
    # The other council's chair cannot open this council's log at all.
    assert personas.client_for(other_chair).get(log_url).status_code == 404


def test_a_member_cannot_see_the_log_and_a_secretary_sees_only_their_own(personas, appeal):
    detail = reverse("appeals_staff:detail", kwargs={"slug": personas.council.slug, "number": appeal.number})
    personas.client_for(personas.member).get(detail)
    log_url = reverse("privacy_staff:access_log", kwargs={"slug": personas.council.slug})

    assert personas.client_for(personas.member).get(log_url).status_code == 403
    own = personas.client_for(personas.secretary).get(log_url)
    assert own.status_code == 200
    assert f'data-appeal="{appeal.number}"' not in own.content.decode()  # the member's view is not theirs

    personas.client_for(personas.secretary).get(detail)
    assert f'data-appeal="{appeal.number}"' in personas.client_for(personas.secretary).get(log_url).content.decode()
