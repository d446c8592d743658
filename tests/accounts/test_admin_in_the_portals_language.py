"""Issue 14, item 7: the admin speaks the portal's language. Its titles name the portal (not "Django
administration"), django-otp's apps have names people read (not "OTP_STATIC"), the council staff form says
"сотрудник совета" (singular) with translated "User:" and "Council:" labels; the public site has a discreet
sign-in link for staff."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "Администрирование портала"), ("kk", "Порталды әкімшілік басқару")],
)
def test_admin_index_names_the_portal_and_its_apps_in_the_language(admin_client, language, expected):
    with translation.override(language):
        page = admin_client.get(f"/{language}/admin/")
    assert page.status_code == 200
    text = page.content.decode()
    assert expected in text
    for untranslated in ("Django", "OTP_STATIC", "OTP_TOTP"):
        assert untranslated not in text, untranslated


def test_council_staff_add_form_is_singular_with_translated_labels(admin_client):
    page = admin_client.get("/ru/admin/councils/councilstaff/add/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "сотрудник совета" in text
    assert "сотрудники совета" not in text
    assert ">Пользователь:<" in text and ">Совет:<" in text
    assert ">User:<" not in text and ">Council:<" not in text


def test_public_pages_link_to_the_staff_sign_in(client):
    page = client.get("/ru/privacy/")
    assert page.status_code == 200
    assert '<a href="/ru/accounts/login/" id="footer-staff-sign-in" rel="nofollow">Вход для сотрудников</a>' in (
        page.content.decode()
    )
