"""A secretary of one council can neither see nor change another council's private records."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from councils.access import council_for_user, councils_for_user
from hearings.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db


def test_secretary_reaches_own_council_and_not_the_other(personas):
    assert list(councils_for_user(personas.secretary)) == [personas.council]
    assert council_for_user(personas.secretary, "almaty", write=True) == personas.council
    with pytest.raises(Http404):
        council_for_user(personas.secretary, "karaganda")


def test_member_reads_but_may_not_write(personas):
    assert council_for_user(personas.member, "almaty") == personas.council
    with pytest.raises(PermissionDenied):
        council_for_user(personas.member, "almaty", write=True)


def test_anonymous_reaches_no_private_data(personas):
    from django.contrib.auth.models import AnonymousUser

    assert not councils_for_user(AnonymousUser()).exists()


@pytest.fixture
def meetings(personas):
    mine = Meeting.objects.create(
        council=personas.council,
        key="m-1",
        kind=MeetingKind.COUNCIL,
        date="2019-04-10",
        title="Заседание Алматы",
    )
    theirs = Meeting.objects.create(
        council=personas.other_council,
        key="m-1",
        kind=MeetingKind.COUNCIL,
        date="2019-04-11",
        title="Заседание Караганды",
    )
    return mine, theirs


def test_admin_list_shows_only_own_councils_meetings(personas, meetings):
    client = personas.client_for(personas.secretary)
    response = client.get(reverse("admin:hearings_meeting_changelist"))
    assert response.status_code == 200
    assert "Заседание Алматы" in response.text
    assert "Заседание Караганды" not in response.text


def test_admin_will_not_open_or_change_another_councils_meeting(personas, meetings):
    _, theirs = meetings
    client = personas.client_for(personas.secretary)
    url = reverse("admin:hearings_meeting_change", args=[theirs.pk])
    # The admin answers an object outside the queryset by redirecting to its index: nothing is shown.
    response = client.get(url)
    assert response.status_code == 302
    response = client.post(url, {"title": "взлом"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Заседание Караганды"


def test_member_sees_own_meeting_but_may_not_change_it(personas, meetings):
    mine, _ = meetings
    client = personas.client_for(personas.member)
    response = client.get(reverse("admin:hearings_meeting_change", args=[mine.pk]))
    assert response.status_code == 200
    # Read-only: the form has no save button.
    assert 'name="_save"' not in response.text
