"""Fast test settings and the personas every scope test uses (STYLE.md, "Tests")."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission, User
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.utils import translation

from councils.models import Convocation, Council, CouncilStaff, StaffRole

# The markers of the tests that take longest (seconds each, up to a minute): browser walks, real workers and
# subprocesses, walks of the whole site. `heavy` is for those that are neither browser nor worker tests.
HEAVY_MARKERS = ("browser", "celery_worker", "heavy")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The heavy tests first. This runs before pytest-django's own stable sort into its groups (tests that roll
    back, then those that empty the tables, then those without a database: the migrations' rows, such as the
    calendar, are gone after a transactional test), so they end up first within each group. pytest-xdist hands
    tests out in this order; with the browser tests last of all, a minute-long walk handed out at the end kept one
    worker busy for minutes after the other had finished."""
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in HEAVY_MARKERS))


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Each test starts with an empty in-process cache. A page another test had cached (same slug, same version
    numbers, since each test's versions start afresh) was served to the next test of the same worker whatever its
    own records: the council page's test got a cached page without its context once tests were handed out one at
    a time (scripts/test.sh)."""
    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through LocaleMiddleware leaves its language active in the thread; start every test in Russian.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class Personas:
    council: Council
    other_council: Council
    secretary: User
    member: User
    other_secretary: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


def _staff(username: str, council: Council, role: StaffRole) -> User:
    user = User.objects.create_user(username=username, password="not-a-real-password", is_staff=True)
    CouncilStaff.objects.create(user=user, council=council, role=role)
    # The admin asks for model permissions on top of the council scope.
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["councils", "hearings", "monitoring", "appeals"])
    )
    return user


@pytest.fixture
def personas(db) -> Personas:
    council = Council.objects.create(slug="almaty", code="ALM", name="Общественный совет города Алматы", city="Алматы")
    other = Council.objects.create(slug="karaganda", code="KRG", name="Общественный совет Караганды", city="Караганда")
    for c in (council, other):
        Convocation.objects.create(council=c, number=2, name="II состав", start_date="2019-03-01")
    return Personas(
        council=council,
        other_council=other,
        secretary=_staff("secretary", council, StaffRole.SECRETARY),
        member=_staff("member", council, StaffRole.MEMBER),
        other_secretary=_staff("other-secretary", other, StaffRole.SECRETARY),
    )


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, past the administrator's second sign-in factor."""
    from tests.accounts.helpers import otp_verified_client

    return otp_verified_client(client, admin_user)
