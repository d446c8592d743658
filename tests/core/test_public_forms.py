"""The one piece every public form stands on (core/public_forms.py): the honeypot, the consent and the limits,
with one message for each refusal, in the reader's language, and no 500 while Redis is down.

The walk opens every public page of the URL map (tests/test_privacy.py's planted world, so a new page is walked
as soon as it exists) and checks each POST form on it that takes anything typed: it carries the shared honeypot,
and a consent box unless it is a request under the person's own rights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import lxml.html
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from alerts.forms import SubscribeForm
from appeals.forms import PublicAppealForm
from core.public_forms import PublicForm
from deputies.forms import QuestionForm
from hearings.models import PublicHearing
from participation.forms import PublicCommentForm, RegistrationForm
from privacy.forms import DataRequestForm
from receptions.forms import BookingForm
from tests.celery_worker import redis_available
from tests.security.test_cache_keys import redis_cache  # noqa: F401 - a fixture
from tests.security.test_redis_outage import redis_down  # noqa: F401 - a fixture
from tests.test_privacy import PATTERNS, World, _fill, world  # noqa: F401 - `world` is a fixture

from ..appeals.conftest import appeal_form_data

pytestmark = pytest.mark.django_db

TYPED = ".//input[not(@type) or @type='text' or @type='email' or @type='tel'] | .//textarea"
# Public POST forms that are no citizen's submission, each with the reason.
NOT_SUBMISSIONS = {
    "set_language": "the language switcher: a choice, nothing typed",
}
# A public form that asks no consent, with the reason (the form sets `personal_data_consent = None`).
NO_CONSENT = {"privacy:request": "a request under the person's own rights over their data needs no consent"}
# Every kind of public form this walk must meet: a planted world that stops showing one fails here.
EXPECTED = {
    "appeals:new",
    "alerts:subscribe",
    "privacy:request",
    "reports:hearing_consultation",
    "reports:hearing_register",
    "receptions:book",
    "deputies:ask",
}


def _public_post_forms(planted: World) -> Iterator[tuple[str, str, lxml.html.HtmlElement]]:
    client = Client()
    queries = {"alerts:subscribe": {"council": planted.council.slug}}
    for entry in PATTERNS:
        if not entry.localized:
            continue
        with translation.override("ru"):
            path = reverse(entry.name, kwargs=_fill(planted, entry))
        response = client.get(path, queries.get(entry.name, {}))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = lxml.html.fromstring(response.content)
        for form in page.xpath("//form[translate(@method, 'POST', 'post')='post']"):
            action = form.get("action") or path
            if any(name in action for name in ("i18n/setlang", "/setlang/")):
                continue
            if form.xpath(TYPED):
                yield entry.name, path, form


@pytest.mark.heavy
def test_every_public_form_that_takes_typed_text_uses_the_shared_piece(world):  # noqa: F811
    # The planted hearing is held in the past; one still to come shows its registration form too.
    hearing = world.objects["hearing"]
    PublicHearing.objects.filter(pk=hearing.pk).update(
        date=timezone.localdate() + dt.timedelta(days=30), record_published_on=None
    )
    seen, failures = set(), []
    for name, path, form in _public_post_forms(world):
        seen.add(name)
        honeypot = form.xpath(".//*[@data-public-form='honeypot']//input[@name='website']")
        if len(honeypot) != 1:
            failures.append(f"{name} ({path}): no shared honeypot (forms/honeypot.html)")
        consent = form.xpath(".//input[@type='checkbox'][@name='personal_data_consent']")
        if not consent and name not in NO_CONSENT:
            failures.append(f"{name} ({path}): no personal_data_consent box")
    assert not failures, "\n".join(failures)
    assert EXPECTED <= seen, f"the walk did not meet {sorted(EXPECTED - seen)}"


@pytest.mark.parametrize(
    "form_class",
    [PublicAppealForm, BookingForm, PublicCommentForm, RegistrationForm, QuestionForm, SubscribeForm, DataRequestForm],
)
def test_every_public_form_class_is_a_public_form(form_class):
    assert issubclass(form_class, PublicForm)
    assert "is_spam" not in vars(form_class)  # the one honeypot rule, not a copy
    assert form_class.base_fields["website"].required is False
    if form_class is DataRequestForm:
        assert "personal_data_consent" not in form_class.base_fields
    else:
        assert form_class.base_fields["personal_data_consent"].required


# ---- one behaviour, one message ---------------------------------------------------------------------------------


@pytest.fixture
def clean_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_robot_is_refused_with_the_one_message_in_kazakh(personas, clean_limits):
    client = Client()
    response = client.post("/kk/councils/almaty/appeals/new/", appeal_form_data(website="http://spam.example"))
    assert response.status_code == 400
    with translation.override("kk"):
        message = translation.gettext("What was sent could not be accepted.")
    assert message != "What was sent could not be accepted."  # translated
    assert message in response.content.decode()
    assert "Вырубка деревьев в парке" in response.content.decode()  # what was typed stays


def test_the_limit_gives_the_one_message_for_every_form(personas, clean_limits, settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_IP": "1/h", "APPEAL_RATE_PER_EMAIL": "1/h"}
    client = Client()
    assert client.post("/ru/councils/almaty/appeals/new/", appeal_form_data()).status_code == 302
    response = client.post("/ru/councils/almaty/appeals/new/", appeal_form_data(subject="Ещё одно"))
    assert response.status_code == 429
    with translation.override("ru"):
        message = translation.gettext(
            "Too many messages were sent from here in a short time. Please try again in an hour."
        )
    assert message in response.content.decode()
    assert "Ещё одно" in response.content.decode()


def test_the_consent_refusal_is_the_forms_own_and_translated():
    with translation.override("kk"):
        form = SubscribeForm({"email": "a@example.kz", "frequency": "daily", "website": ""})
        assert not form.is_valid()
        assert form.errors["personal_data_consent"] == [
            translation.gettext("Without your consent the portal cannot send you alerts.")
        ]
        assert form.errors["personal_data_consent"][0] != "Without your consent the portal cannot send you alerts."


def test_public_forms_take_submissions_while_redis_is_down(personas, redis_down):  # noqa: F811
    """The limits fail open (core/ratelimit.py): a robot is still refused by the honeypot, a person is never
    refused and never sees a 500."""
    client = Client()
    assert client.post("/ru/councils/almaty/appeals/new/", appeal_form_data(website="x")).status_code == 400
    for n in range(3):
        response = client.post("/ru/councils/almaty/appeals/new/", appeal_form_data(submission_key=f"key{n}"))
        assert response.status_code == 302, response.status_code
    subscribe = client.post(
        "/ru/alerts/subscribe/?council=almaty",
        {"email": "r@example.kz", "frequency": "daily", "personal_data_consent": "on", "website": ""},
    )
    assert subscribe.status_code < 500


# ---- the limits on Redis ------------------------------------------------------------------------------------------


@pytest.mark.skipif(not redis_available(), reason="Redis is not running (make test starts it)")
def test_on_redis_the_limits_count_in_one_round_trip_under_the_librarys_keys(
    personas,
    redis_cache,  # noqa: F811 - the fixture imported above: the project's Redis cache on the tests' Redis
    settings,
):
    """Both limits are counted in one round trip to Redis, under the keys and windows of django-ratelimit, so
    that its own reading of a count (and its decorators on other views) agree; the third appeal from one address
    is refused when two an hour are allowed, and is not stored."""
    from django.core.cache import cache
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage

    from appeals.models import Appeal
    from core.ratelimit import submission_rate_limited

    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_IP": "2/h", "APPEAL_RATE_PER_EMAIL": "5/h"}
    client = Client()
    for subject, email in (("Первое", "first@example.kz"), ("Второе", "second@example.kz")):
        data = appeal_form_data(subject=subject, email=email, submission_key=email)
        assert client.post("/ru/councils/almaty/appeals/new/", data).status_code == 302
    response = client.post(
        "/ru/councils/almaty/appeals/new/", appeal_form_data(subject="Третье", submission_key="third")
    )
    assert response.status_code == 429
    assert "Третье" in response.content.decode()  # what was typed stays
    assert Appeal.objects.count() == 2

    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    round_trips = []
    real = cache._cache.get_client

    def counted(*args, **kwargs):
        round_trips.append(1)
        return real(*args, **kwargs)

    cache._cache.get_client = counted
    try:
        for _ in range(3):
            submission_rate_limited(request, group="probe", email="A@Example.kz", per_ip="10/h", per_email="3/h")
        refused = submission_rate_limited(request, group="probe", email="a@example.kz", per_ip="10/h", per_email="3/h")
    finally:
        del cache._cache.get_client
    assert refused  # the fourth from one address (its case does not matter), three an hour allowed
    assert len(round_trips) == 4  # one per submission, both counters together
    by_ip = get_usage(request, group="probe-ip", key="ip", rate="10/h", increment=False)
    by_email = get_usage(request, group="probe-email", key=lambda _g, _r: "a@example.kz", rate="3/h", increment=False)
    assert (by_ip["count"], by_email["count"]) == (4, 4)


def test_every_limit_counts_a_refused_submission_too(clean_limits):
    """Both counters count each submission, also once the address's limit refuses it (the local demo's cache
    goes through django-ratelimit itself): the per-e-mail count stays true for the next address."""
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage

    from core.ratelimit import submission_rate_limited

    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    results = [
        submission_rate_limited(request, group="both", email="b@example.kz", per_ip="1/h", per_email="9/h")
        for _ in range(3)
    ]
    assert results == [False, True, True]
    usage = get_usage(request, group="both-email", key=lambda _g, _r: "b@example.kz", rate="9/h", increment=False)
    assert usage["count"] == 3
