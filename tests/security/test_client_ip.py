"""Behind a proxy the client's address comes from OVERSIGHT_CLIENT_IP_HEADER; a request without it, or with
rubbish in it, is still served (under REMOTE_ADDR, with a warning), and a client cannot choose its own address
by sending the header itself: only the entry our proxy wrote counts (OVERSIGHT_TRUSTED_PROXY_COUNT from the right).

The settings are built as production builds them, from the environment (config/settings.py run afresh), so
the tests hold for whatever the settings module makes of the variables.
"""

from __future__ import annotations

import importlib.util
import logging

import pytest
from django.test import Client
from django.test.client import RequestFactory

from appeals.models import Appeal
from config import settings as config_settings
from core import ratelimit

from ..appeals.conftest import appeal_form_data

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # REMOTE_ADDR: the proxy in front of the portal
# What the variables make of the settings that read the client's address.
PROXY_SETTINGS = (
    "CLIENT_IP_HEADER",
    "TRUSTED_PROXY_COUNT",
    "RATELIMIT_IP_META_KEY",
    "AXES_CLIENT_IP_CALLABLE",
    "RATELIMIT_FAIL_OPEN",
)


@pytest.fixture
def behind_proxy(settings, monkeypatch):
    def configure(header: str = "HTTP_X_FORWARDED_FOR", proxies: int | None = None) -> None:
        monkeypatch.setenv("OVERSIGHT_CLIENT_IP_HEADER", header)
        if proxies is not None:
            monkeypatch.setenv("OVERSIGHT_TRUSTED_PROXY_COUNT", str(proxies))
        # The settings module run afresh under another name (in the config package, for its relative imports).
        spec = importlib.util.spec_from_file_location("config.settings_under_test", config_settings.__file__)
        fresh = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fresh)
        for name in PROXY_SETTINGS:
            setattr(settings, name, getattr(fresh, name, None))

    throttled = getattr(ratelimit, "_header_log", None)
    if throttled is not None:
        throttled.reset()  # each test may see its first warning
    return configure


def _client_ip(header_value: str | None, remote: str = PROXY) -> str:
    from django.conf import settings

    meta = {"REMOTE_ADDR": remote}
    if header_value is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header_value
    request = RequestFactory().get("/", **meta)
    key = settings.RATELIMIT_IP_META_KEY
    # The address both limits read: the rate limits' and the sign-in lockouts' (django-axes).
    from axes.helpers import get_client_ip_address
    from django_ratelimit.core import _get_ip

    axes_ip = get_client_ip_address(request)
    ratelimit_ip = _get_ip(request)
    assert key  # the portal always names its reader
    assert ratelimit_ip == axes_ip or ":" in axes_ip  # IPv6: django-ratelimit counts the /64
    return axes_ip


@pytest.mark.parametrize(
    ("header_value", "expected"),
    [
        (None, PROXY),  # missing
        ("", PROXY),  # empty
        ("garbage", PROXY),
        ("1.2.3.4, garbage", PROXY),  # our proxy's own entry is rubbish
        ("203.0.113.9", "203.0.113.9"),
        ("1.2.3.4, 10.0.0.1", "10.0.0.1"),  # one proxy of ours: the entry it wrote, the right-most
        (" 1.2.3.4 ,  198.51.100.7 ", "198.51.100.7"),
        ("2001:db8::7", "2001:db8::7"),
        ("1.2.3.4, [2001:db8::7]", "2001:db8::7"),
    ],
)
def test_the_client_address_is_the_entry_our_proxy_wrote_or_remote_addr(behind_proxy, header_value, expected):
    behind_proxy()

    assert _client_ip(header_value) == expected


def test_with_two_proxies_the_client_is_the_second_entry_from_the_right(behind_proxy):
    behind_proxy(proxies=2)

    assert _client_ip("6.6.6.6, 1.2.3.4, 10.0.0.1") == "1.2.3.4"
    assert _client_ip("10.0.0.1") == PROXY  # fewer hops than proxies: not ours to trust


def test_the_header_may_be_named_as_sent(behind_proxy):
    behind_proxy(header="X-Forwarded-For")

    assert _client_ip("1.2.3.4, 198.51.100.7") == "198.51.100.7"


def test_a_missing_header_is_logged_once_not_per_request(behind_proxy, caplog):
    behind_proxy()
    with caplog.at_level(logging.WARNING, logger="core.ratelimit"):
        for _ in range(5):
            _client_ip(None)

    assert len(caplog.records) == 1
    assert "HTTP_X_FORWARDED_FOR" in caplog.records[0].getMessage()


@pytest.mark.parametrize("header_value", [None, "", "garbage", "1.2.3.4, 10.0.0.1", "2001:db8::7"])
def test_sign_in_answers_whatever_the_header(personas, behind_proxy, header_value):
    behind_proxy()
    extra = {"REMOTE_ADDR": PROXY}
    if header_value is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header_value
    client = Client(**extra)

    wrong = client.post("/ru/accounts/login/", {"username": "secretary", "password": "wrong-password"})
    right = client.post("/ru/accounts/login/", {"username": "secretary", "password": "not-a-real-password"})

    assert wrong.status_code == 200  # the form again, with its error
    assert right.status_code == 302
    assert "/workspace/" in right["Location"]


@pytest.mark.parametrize("header_value", [None, "", "garbage", "1.2.3.4, 10.0.0.1", "2001:db8::7"])
def test_an_appeal_is_accepted_whatever_the_header(personas, behind_proxy, header_value):
    behind_proxy()
    extra = {"REMOTE_ADDR": PROXY}
    if header_value is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header_value

    response = Client(**extra).post("/ru/councils/almaty/appeals/new/", appeal_form_data())

    assert response.status_code == 302
    assert Appeal.objects.count() == 1


def test_a_client_cannot_escape_the_limit_by_sending_its_own_header(personas, behind_proxy, settings):
    """The left part of X-Forwarded-For is whatever the client sent: a new value per request must not make a
    new client."""
    behind_proxy()
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_IP": "2/h", "APPEAL_RATE_PER_EMAIL": "100/h"}
    statuses = []
    for n in range(3):
        forged = f"198.51.100.{n}, 203.0.113.9"  # the client's invention, then our proxy's entry
        response = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged).post(
            "/ru/councils/almaty/appeals/new/",
            appeal_form_data(email=f"a{n}@example.kz", submission_key=f"{n:032d}"),
        )
        statuses.append(response.status_code)

    assert statuses == [302, 302, 429]
