"""Two-factor sign-in: optional for council staff, required of portal administrators (accounts/)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import is_portal_administrator
from accounts.services import BACKUP_CODE_COUNT
from councils.models import CouncilStaff, StaffRole

pytestmark = pytest.mark.django_db

PASSWORD = "not-a-real-password"


def url(name: str, *args) -> str:
    with translation.override("ru"):
        return reverse(name, args=args)


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(url("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1")


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def app_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def unthrottle(device: TOTPDevice) -> None:
    """As if the back-off since the last wrong code had passed."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - dt.timedelta(days=1))


@pytest.fixture
def admin(db) -> User:
    return User.objects.create_superuser(username="root", password=PASSWORD, email="root@oversight.local")


def test_who_counts_as_a_portal_administrator(personas, admin):
    operator = User.objects.create_user(username="operator", password=PASSWORD, is_staff=True)
    citizen = User.objects.create_user(username="citizen", password=PASSWORD)
    assert is_portal_administrator(admin) and is_portal_administrator(operator)
    assert not is_portal_administrator(personas.secretary) and not is_portal_administrator(citizen)


# ---- council staff ------------------------------------------------------------------------------------------


def test_staff_without_a_device_signs_in_with_the_password_alone(client, personas):
    response = sign_in(client, "secretary")
    assert response.status_code == 302 and response["Location"] == url("workspace:home")
    response = client.get(url("workspace:home"))
    assert response.status_code == 302
    assert response["Location"] == url("workspace:dashboard", personas.council.slug)
    assert client.get(response["Location"]).status_code == 200


def test_staff_with_a_device_must_enter_a_valid_code(client, personas):
    device = app_device(personas.secretary)
    sign_in(client, "secretary")
    workspace = url("workspace:dashboard", personas.council.slug)
    response = client.get(workspace)
    assert response.status_code == 302
    assert response["Location"] == f"{url('accounts:verify')}?next=%2Fru%2Fworkspace%2F{personas.council.slug}%2F"

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html and '<label for="id_code">' in html
    assert 'aria-describedby="id_code_helptext"' in html

    wrong = client.post(url("accounts:verify"), {"code": "000000", "next": workspace})
    assert wrong.status_code == 200
    assert "Код неверный" in wrong.content.decode()  # the message in Russian, the page's language
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert client.get(workspace).status_code == 302  # still not in

    unthrottle(device)
    right = client.post(url("accounts:verify"), {"code": code_for(device), "next": workspace})
    assert right.status_code == 302 and right["Location"] == workspace
    assert client.get(workspace).status_code == 200


def test_the_wrong_code_message_is_translated_into_the_pages_language(client, personas):
    app_device(personas.secretary)
    sign_in(client, "secretary")
    with translation.override("kk"):
        verify_kk = reverse("accounts:verify")
    response = client.post(verify_kk, {"code": "000000"})
    assert "Код қате" in response.content.decode()
    with translation.override("en"):
        verify_en = reverse("accounts:verify")
    unthrottle(TOTPDevice.objects.get(user=personas.secretary))
    response = client.post(verify_en, {"code": "000000"})
    assert "This code is not correct" in response.content.decode()


def test_wrong_codes_are_throttled_even_the_right_code_waits(client, personas):
    device = app_device(personas.secretary)
    sign_in(client, "secretary")
    for _ in range(4):
        unthrottle(device)
        client.post(url("accounts:verify"), {"code": "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 4

    # Right after the fifth wrong code the device waits 16 seconds; the right code is refused meanwhile.
    client.post(url("accounts:verify"), {"code": "111111"})
    response = client.post(url("accounts:verify"), {"code": code_for(device)})
    assert response.status_code == 200
    assert "Слишком много неверных кодов" in response.content.decode()
    assert client.get(url("workspace:home")).status_code == 302
    assert client.get(url("workspace:home"))["Location"].startswith(url("accounts:verify"))

    unthrottle(device)
    assert client.post(url("accounts:verify"), {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_session_that_owes_a_code_cannot_replace_the_app(client, personas):
    app_device(personas.secretary)
    sign_in(client, "secretary")
    response = client.get(url("accounts:setup"))
    assert response.status_code == 302 and response["Location"].startswith(url("accounts:verify"))
    assert client.post(url("accounts:remove")).status_code == 302
    assert TOTPDevice.objects.filter(user=personas.secretary).exists()


def test_the_api_refuses_a_session_that_owes_a_code(client, personas):
    app_device(personas.secretary)
    sign_in(client, "secretary")
    response = client.get(f"/api/v1/councils/{personas.council.slug}/reports/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Сначала завершите вход вторым фактором."}


def test_force_login_staff_without_a_device_is_not_asked(personas):
    client = personas.client_for(personas.member)
    assert client.get(url("workspace:dashboard", personas.council.slug)).status_code == 200


def test_staff_may_set_up_and_turn_off_two_factor(client, personas):
    sign_in(client, "member")
    assert "Двухфакторный вход выключен" in client.get(url("accounts:overview")).content.decode()
    client.get(url("accounts:setup"))
    device = TOTPDevice.objects.get(user=personas.member, confirmed=False)
    response = client.post(url("accounts:setup"), {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"].startswith(url("accounts:backup_codes"))
    client.get(response["Location"])
    assert client.get(url("accounts:overview")).status_code == 200

    response = client.post(url("accounts:remove"), follow=True)
    assert "Двухфакторный вход выключен" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.member).exists()
    assert not StaticDevice.objects.filter(user=personas.member).exists()


# ---- portal administrators -----------------------------------------------------------------------------------


def test_an_administrator_without_a_device_must_set_one_up_before_the_admin_opens(client, admin):
    response = sign_in(client, "root")
    assert response.status_code == 302
    for protected in (url("admin:index"), url("workspace:home"), url("accounts:overview")):
        response = client.get(protected)
        assert response.status_code == 302, protected
        assert response["Location"].startswith(url("accounts:setup")), protected

    page = client.get(f"{url('accounts:setup')}?next=/ru/admin/")
    html = page.content.decode()
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert "otpauth://totp/Oversight%3Aroot?secret=" in html
    assert "<svg" in html and "<path" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert "no-store" in page["Cache-Control"]
    assert "script-src 'self'" in page["Content-Security-Policy"]
    # Reloading the page keeps the same secret (the app may already hold it).
    client.get(url("accounts:setup"))
    assert TOTPDevice.objects.get(user=admin, confirmed=False).key == device.key

    wrong = client.post(url("accounts:setup"), {"code": "123456", "next": "/ru/admin/"})
    assert wrong.status_code == 200 and "Код неверный" in wrong.content.decode()
    assert client.get(url("admin:index")).status_code == 302

    unthrottle(device)
    confirmed = client.post(url("accounts:setup"), {"code": code_for(device), "next": "/ru/admin/"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"{url('accounts:backup_codes')}?next=%2Fru%2Fadmin%2F"
    shown = client.get(confirmed["Location"])
    tokens = set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True))
    assert len(tokens) == BACKUP_CODE_COUNT
    assert all(token in shown.content.decode() for token in tokens)
    assert "no-store" in shown["Cache-Control"]
    # Shown once: the same page again has nothing to show.
    assert client.get(confirmed["Location"]).status_code == 302

    assert client.get(url("admin:index")).status_code == 200
    assert TOTPDevice.objects.get(user=admin).confirmed


def test_an_operator_without_a_council_role_must_set_one_up_too(client, personas):
    User.objects.create_user(username="operator", password=PASSWORD, is_staff=True)
    sign_in(client, "operator")
    assert client.get(url("admin:index"))["Location"].startswith(url("accounts:setup"))


def test_an_administrator_with_a_device_enters_a_code_and_the_admin_opens(client, admin):
    device = app_device(admin)
    sign_in(client, "root")
    response = client.get(url("admin:index"))
    assert response["Location"].startswith(url("accounts:verify"))
    assert client.get(url("accounts:setup"))["Location"].startswith(url("accounts:verify"))
    response = client.post(url("accounts:verify"), {"code": code_for(device), "next": url("admin:index")})
    assert response["Location"] == url("admin:index")
    assert client.get(url("admin:index")).status_code == 200


def test_an_administrator_cannot_turn_two_factor_off(client, admin):
    device = app_device(admin)
    sign_in(client, "root")
    client.post(url("accounts:verify"), {"code": code_for(device)})
    response = client.post(url("accounts:remove"), follow=True)
    assert "не могут отключить" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_a_backup_code_works_once(client, admin):
    device = app_device(admin)
    backup = StaticDevice.objects.create(user=admin, name="backup", confirmed=True)
    backup.token_set.create(token="abcd2345")
    backup.token_set.create(token="efgh6723")

    sign_in(client, "root")
    response = client.post(url("accounts:verify"), {"code": "ABCD 2345", "next": url("admin:index")})
    assert response["Location"] == url("admin:index")
    assert client.get(url("admin:index")).status_code == 200
    assert not backup.token_set.filter(token="abcd2345").exists()

    client.post(url("logout"))
    sign_in(client, "root")
    response = client.post(url("accounts:verify"), {"code": "abcd2345"})
    assert response.status_code == 200 and "Код неверный" in response.content.decode()
    assert client.get(url("admin:index")).status_code == 302
    assert device.pk  # the app is untouched by backup-code attempts


def test_new_backup_codes_replace_the_old_and_keep_the_session_verified(client, admin):
    device = app_device(admin)
    backup = StaticDevice.objects.create(user=admin, name="backup", confirmed=True)
    backup.token_set.create(token="abcd2345")
    sign_in(client, "root")
    client.post(url("accounts:verify"), {"code": "abcd2345"})  # signed in with the backup device

    response = client.post(url("accounts:renew_backup_codes"))
    assert response["Location"].startswith(url("accounts:backup_codes"))
    html = client.get(response["Location"]).content.decode()
    codes = set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True))
    assert len(codes) == BACKUP_CODE_COUNT and all(code in html for code in codes)
    assert client.get(url("admin:index")).status_code == 200
    assert device.pk


def test_next_must_stay_on_this_site(client, personas):
    device = app_device(personas.secretary)
    sign_in(client, "secretary")
    response = client.post(url("accounts:verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == url("workspace:home")


def test_the_qr_code_is_a_plain_inline_svg():
    from accounts.qr import qr_svg

    svg = str(qr_svg("otpauth://totp/Oversight:root?secret=JBSWY3DPEHPK3PXP", title="QR <code>"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "style" not in svg and "<script" not in svg and "QR &lt;code&gt;" in svg
    assert re.search(r'viewBox="0 0 (\d+) \1"', svg)


def _heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_every_page_is_translated(client, personas, admin):
    """The headings are not the English msgids in Russian and Kazakh (the wording is the catalogues' business)."""
    device = app_device(personas.secretary)
    sign_in(client, "secretary")
    pages = {"accounts:verify": "Enter your sign-in code"}
    for name, english in pages.items():
        for language in ("ru", "kk"):
            with translation.override(language):
                heading = _heading(client.get(reverse(name)))
            assert heading != english and re.search("[а-яәіңғүұқөһ]", heading, re.I), (name, language, heading)
    client.post(url("accounts:verify"), {"code": code_for(device)})
    pages = {"accounts:overview": "Two-factor sign-in", "accounts:setup": "Replace your authenticator app"}
    for name, english in pages.items():
        for language in ("ru", "kk"):
            with translation.override(language):
                heading = _heading(client.get(reverse(name)))
            assert heading != english and re.search("[а-яәіңғүұқөһ]", heading, re.I), (name, language, heading)


def test_the_membership_of_a_council_makes_staff_optional(personas):
    user = User.objects.create_user(username="chair", password=PASSWORD, is_staff=True)
    assert is_portal_administrator(user)
    CouncilStaff.objects.create(user=user, council=personas.council, role=StaffRole.CHAIR)
    assert not is_portal_administrator(user)


def test_the_test_helper_gives_a_verified_administrator(client, admin):
    from tests.accounts.helpers import otp_verified_client

    assert client.get(url("admin:index")).status_code == 302  # anonymous: the admin's sign-in page
    client.force_login(admin)
    assert client.get(url("admin:index"))["Location"].startswith(url("accounts:setup"))
    assert otp_verified_client(client, admin).get(url("admin:index")).status_code == 200
