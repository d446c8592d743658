"""Following a state body (issue 19, item 4): a citizen follows a state body from its public page, confirms the
address, and is told by mail when a public council makes a recommendation to it, when it answers one, or when a
recommendation's status changes, with the same batching and one-click unsubscribe as any follow. The follow is
kept under no council (a state body belongs to the whole portal)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from alerts.models import Subscription
from alerts.tasks import send_digests
from monitoring import services as monitoring
from monitoring.models import RecommendationStatus
from privacy.export import councils_holding, holdings
from tests import factories as f

from .conftest import link_in

pytestmark = pytest.mark.django_db

EMAIL = "body.follower@example.kz"


def form(**overrides) -> dict:
    return {"email": EMAIL, "personal_data_consent": "on", "website": "", **overrides}


@pytest.fixture
def secretary(db):
    return User.objects.create_user(username="secretary-body", password="x")


@pytest.fixture
def recommendation(council, police):
    return f.RecommendationFactory(
        council=council, state_body=police, text="Усилить патрулирование парков", status=RecommendationStatus.SENT
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def _post(path: str, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(path, form(**overrides))

    return _post


@pytest.fixture
def followed(police, recommendation, post):
    """The police followed through the form in Kazakh and confirmed by the mail's link; the mail box emptied."""
    assert post(f"/kk/alerts/follow/state-bodies/{police.pk}/").status_code == 302
    assert Client().get(link_in(mail.outbox[-1], "/alerts/confirm/")).status_code == 200
    mail.outbox.clear()
    return Subscription.objects.get(email=EMAIL)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """One beat run of the follow news, the batching window passed; returns mails queued."""
    from alerts.tasks import send_follow_news

    def _run() -> int:
        Subscription.objects.update(notified_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            return send_follow_news()

    return _run


def _answer(recommendation, by):
    return monitoring.recommendation_record_response(
        recommendation=recommendation, received_on=dt.date(2019, 6, 12), text="Патрули усилены", by=by
    )


# ---- the form ------------------------------------------------------------------------------------------------


def test_the_state_body_page_links_to_its_follow_form(police):
    page = Client().get(f"/ru/state-bodies/{police.slug}/").content.decode()

    assert f"/ru/alerts/follow/state-bodies/{police.pk}/" in page


def test_the_follow_form_names_the_body_and_says_what_is_told_in_each_language(police):
    kk = Client().get(f"/kk/alerts/follow/state-bodies/{police.pk}/").content.decode()
    en = Client().get(f"/en/alerts/follow/state-bodies/{police.pk}/").content.decode()
    ru = Client().get(f"/ru/alerts/follow/state-bodies/{police.pk}/").content.decode()

    assert "Департамент полиции г. Алматы" in kk
    assert "осы мемлекеттік органға ұсыным жолдағанда" in kk
    assert "makes a recommendation to this state body" in en
    assert "направляет этому государственному органу рекомендацию" in ru


def test_an_unknown_body_cannot_be_followed():
    assert Client().get("/ru/alerts/follow/state-bodies/999999/").status_code == 404


def test_following_sends_only_a_confirmation_and_keeps_the_follow_under_no_council(police, post):
    response = post(f"/ru/alerts/follow/state-bodies/{police.pk}/")

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.item == police and subscription.council is None and subscription.state_body is None
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1 and "Департамент полиции" in mail.outbox[0].body


def test_the_follow_form_is_rate_limited_per_email(police, post, settings):
    settings.ALERTS_RATE_PER_EMAIL = "2/h"
    path = f"/ru/alerts/follow/state-bodies/{police.pk}/"

    assert [post(path).status_code for _ in range(3)] == [302, 302, 429]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "<script>alert(1)</script>@example.kz"},
        {"email": "a\n@b.kz"},
        {"email": "x" * 250 + "@example.kz"},
        {"personal_data_consent": ""},
        {"website": "http://spam.example"},
    ],
)
def test_hostile_input_is_refused_and_not_echoed_raw(police, post, overrides):
    response = post(f"/ru/alerts/follow/state-bodies/{police.pk}/", **overrides)

    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_following_the_body_and_subscribing_to_its_digest_are_two_subscriptions(police, followed, confirmed):
    confirmed(EMAIL, state_body=police)

    assert Subscription.objects.filter(email=EMAIL).count() == 2


# ---- the news ------------------------------------------------------------------------------------------------


def test_an_answer_is_told_once_with_a_one_click_unsubscribe_link(police, recommendation, followed, run, secretary):
    _answer(recommendation, secretary)

    assert run() == 1
    assert run() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "Департамент полиции г. Алматы" in message.subject
    assert "Жаңа жауаптар: 1." in message.body
    assert "Мәртебесі өзгерген ұсынымдар: 1." in message.body  # the answer moved it to answered
    assert f"/kk/state-bodies/{police.slug}/" in message.body
    unsubscribe = link_in(message, "/alerts/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")

    response = Client().get(unsubscribe)

    assert response.status_code == 200
    assert f"/kk/alerts/follow/state-bodies/{police.pk}/" in response.content.decode()
    assert not Subscription.objects.filter(email=EMAIL).exists()
    _answer(recommendation, secretary)
    assert run() == 0


def test_a_new_recommendation_to_the_body_is_told_but_not_a_draft(council, police, followed, run, secretary):
    draft = monitoring.recommendation_create(
        council=council, text="Установить камеры", state_body=police, issued_on=dt.date(2019, 7, 1), by=secretary
    )
    assert run() == 0  # a draft is not public

    monitoring.recommendation_send(recommendation=draft, sent_on=dt.date(2019, 7, 2), by=secretary)

    assert run() == 1
    assert "Жаңа ұсынымдар: 1." in mail.outbox[0].body


def test_a_status_change_is_told(police, recommendation, followed, run, secretary):
    monitoring.recommendation_set_status(
        recommendation=recommendation, status=RecommendationStatus.IN_PROGRESS, by=secretary
    )

    assert run() == 1
    assert "Мәртебесі өзгерген ұсынымдар: 1." in mail.outbox[0].body


def test_other_bodies_and_unpublished_councils_are_not_told(police, followed, run, secretary):
    f.RecommendationFactory(state_body=f.StateBodyFactory())
    f.RecommendationFactory(state_body=police, council=f.CouncilFactory(slug="hidden", is_published=False))

    assert run() == 0
    assert mail.outbox == []


def test_a_follower_of_the_body_is_not_in_its_digest(police, recommendation, followed, secretary):
    _answer(recommendation, secretary)

    assert send_digests("weekly") == 0
    assert send_digests("daily") == 0


# ---- privacy -------------------------------------------------------------------------------------------------


def test_the_followers_address_is_in_the_register_under_no_council(police, followed):
    assert list(holdings(EMAIL)[Subscription]) == [followed]
    councils, councilless = councils_holding(EMAIL)
    assert councils == set() and councilless


def test_pages_never_show_the_address(police, followed):
    for path in (f"/ru/alerts/follow/state-bodies/{police.pk}/", f"/ru/state-bodies/{police.slug}/"):
        assert EMAIL not in Client().get(path).content.decode()


def test_the_body_going_away_takes_its_followers_with_it(police, recommendation, followed):
    recommendation.delete()  # a body with recommendations cannot be deleted
    police.delete()

    assert not Subscription.objects.exists()
