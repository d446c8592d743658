"""A meeting's attendance count in the admin: editable while no names are ticked, read-only once they are (the
count is then theirs)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from hearings.models import MeetingAttendance
from tests.factories import MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _change_page(admin_client, meeting) -> str:
    with translation.override("en"):
        url = reverse("admin:hearings_meeting_change", args=[meeting.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_count_is_editable_while_no_names_are_ticked(admin_client, personas):
    meeting = MeetingFactory(council=personas.council, attendance=30)

    assert 'name="attendance"' in _change_page(admin_client, meeting)


def test_the_count_is_read_only_once_names_are_ticked(admin_client, personas):
    meeting = MeetingFactory(council=personas.council, attendance=1)
    MeetingAttendance.objects.create(meeting=meeting, person=PersonFactory(council=personas.council))

    assert 'name="attendance"' not in _change_page(admin_client, meeting)
