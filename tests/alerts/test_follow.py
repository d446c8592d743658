"""Following one item (issue 19, item 4): a citizen follows a recommendation, a hearing, a draft review or an
information request from its public page, confirms the address (the same double opt-in as the alerts), and is
told by mail when what the public sees of the item changes: once per change, in their language, never for a
staff-only edit, never before confirming; one click unsubscribes and deletes the address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from alerts.models import Subscription
from alerts.services import follow_subscribe, subscription_confirm, subscriptions_purge_unconfirmed
from alerts.tasks import send_digests, send_follow_news
from core.outbox import OutboxMessage, outbox_run
from monitoring import services as monitoring
from monitoring.models import RecommendationStatus
from participation import services as participation
from privacy.export import councils_holding, holdings, scoped
from privacy.services import ERASERS
from tests import factories as f

from .conftest import link_in

pytestmark = pytest.mark.django_db

EMAIL = "follower@example.kz"


def form(**overrides) -> dict:
    return {"email": EMAIL, "personal_data_consent": "on", "website": "", **overrides}


@pytest.fixture
def recommendation(council):
    return f.RecommendationFactory(
        council=council, text="Установить освещение на остановках Алатауского района", status="sent"
    )


@pytest.fixture
def secretary(db):
    return User.objects.create_user(username="secretary-follow", password="x")


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def _post(path: str, client: Client | None = None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(path, form(**overrides))

    return _post


@pytest.fixture
def follower(db, django_capture_on_commit_callbacks):
    """Follow and confirm through the services; returns the subscription, with the mail box emptied."""

    def make(item, *, email: str = EMAIL, language: str = "ru") -> Subscription:
        with django_capture_on_commit_callbacks(execute=True):
            subscription = follow_subscribe(email=email, item=item, language=language)
        signed = link_in(mail.outbox[-1], "/alerts/confirm/").rstrip("/").rsplit("/", 1)[1]
        subscription = subscription_confirm(signed=signed)
        mail.outbox.clear()
        return subscription

    return make


@pytest.fixture
def run(django_capture_on_commit_callbacks, settings):
    """One beat run of the follow news, the batching window passed (unless `batched`); returns mails queued."""

    def _run(*, batched: bool = False) -> int:
        if not batched:
            Subscription.objects.update(notified_at=None)
        with django_capture_on_commit_callbacks(execute=True):
            return send_follow_news()

    return _run


def _answer(recommendation, by, **kwargs):
    return monitoring.recommendation_record_response(
        recommendation=recommendation,
        received_on=dt.date(2019, 6, 12),
        text="Освещение будет установлено до конца года",
        by=by,
        **kwargs,
    )


# ---- the form ------------------------------------------------------------------------------------------------


def test_the_recommendation_card_links_to_its_follow_form(council, recommendation):
    page = Client().get("/ru/councils/almaty/recommendations/?year=2019").content.decode()

    assert f"/ru/alerts/follow/recommendations/{recommendation.pk}/" in page


def test_the_follow_form_names_the_item(council, recommendation):
    response = Client().get(f"/kk/alerts/follow/recommendations/{recommendation.pk}/")

    assert response.status_code == 200
    assert "Установить освещение" in response.content.decode()
    assert "Поштамен бақылау" in response.content.decode()


@pytest.mark.parametrize("kind", ["hearings", "draft-reviews", "information-requests"])
def test_every_kind_of_item_has_its_follow_form_on_its_page(council, kind, secretary):
    if kind == "hearings":
        item = f.PublicHearingFactory(council=council)
        page = f"/ru/councils/almaty/hearings/{item.pk}/"
    elif kind == "draft-reviews":
        item = f.DraftActReviewFactory(council=council)
        page = f"/ru/councils/almaty/draft-reviews/{item.pk}/consultation/"
    else:
        item = monitoring.information_request_create(
            council=council,
            state_body=f.StateBodyFactory(),
            organisation="",
            subject="Данные о качестве воздуха",
            text="Просим предоставить данные",
            by=secretary,
        )
        monitoring.information_request_send(information_request=item, sent_on=dt.date(2019, 6, 3), by=secretary)
        page = f"/ru/councils/almaty/information-requests/{item.pk}/"
    follow = f"/ru/alerts/follow/{kind}/{item.pk}/"

    assert follow in Client().get(page).content.decode()
    assert Client().get(follow).status_code == 200


def test_an_item_the_public_does_not_see_cannot_be_followed(council):
    draft = f.RecommendationFactory(council=council, status=RecommendationStatus.DRAFT, sent_on=None)
    hidden = f.RecommendationFactory(council=f.CouncilFactory(slug="hidden", is_published=False))

    assert Client().get(f"/ru/alerts/follow/recommendations/{draft.pk}/").status_code == 404
    assert Client().get(f"/ru/alerts/follow/recommendations/{hidden.pk}/").status_code == 404
    assert Client().get("/ru/alerts/follow/recommendations/999999/").status_code == 404


def test_following_sends_only_a_confirmation_in_the_readers_language(council, recommendation, post):
    response = post(f"/kk/alerts/follow/recommendations/{recommendation.pk}/")

    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.item == recommendation and subscription.council == council
    assert subscription.confirmed_at is None and subscription.language == "kk"
    assert len(mail.outbox) == 1
    assert "/kk/alerts/confirm/" in mail.outbox[0].body
    assert "Установить освещение" in mail.outbox[0].body
    assert "растаңыз" in mail.outbox[0].subject


def test_consent_is_required(council, recommendation, post):
    response = post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/", personal_data_consent="")

    assert response.status_code == 400
    assert not Subscription.objects.exists() and mail.outbox == []


def test_the_honeypot_refuses_robots(council, recommendation, post):
    response = post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/", website="http://spam.example")

    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_the_follow_form_is_rate_limited_per_email(council, recommendation, post, settings):
    settings.ALERTS_RATE_PER_EMAIL = "2/h"
    path = f"/ru/alerts/follow/recommendations/{recommendation.pk}/"

    assert [post(path).status_code for _ in range(3)] == [302, 302, 429]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "email", ["not-an-address", "a@b", "x" * 250 + "@example.kz", "<script>alert(1)</script>@example.kz", "a\n@b.kz"]
)
def test_hostile_addresses_are_refused_and_not_echoed_raw(council, recommendation, post, email):
    response = post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/", email=email)

    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_posted_kind_or_id_cannot_change_what_is_followed(council, recommendation, post):
    other = f.RecommendationFactory(council=council)

    post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/", recommendation=other.pk, kind="hearing")

    assert Subscription.objects.get().item == recommendation


def test_following_twice_when_confirmed_sends_nothing(council, recommendation, follower, post):
    follower(recommendation)

    response = post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/", email=EMAIL.upper())

    assert response.status_code == 302
    assert mail.outbox == []
    assert Subscription.objects.count() == 1


def test_following_an_item_and_subscribing_to_its_council_are_two_subscriptions(
    council, recommendation, follower, confirmed
):
    follower(recommendation)
    confirmed(EMAIL, council=council)

    assert Subscription.objects.filter(email=EMAIL).count() == 2


# ---- the news ------------------------------------------------------------------------------------------------


def test_no_news_before_confirming(council, recommendation, post, run, secretary):
    post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/")
    mail.outbox.clear()

    _answer(recommendation, secretary)

    assert run() == 0
    assert mail.outbox == []


def test_nothing_changed_nothing_is_sent(council, recommendation, follower, run):
    follower(recommendation)

    assert run() == 0
    assert mail.outbox == []


def test_an_answer_is_told_once_in_the_followers_language(council, recommendation, follower, run, secretary):
    subscription = follower(recommendation, language="kk")
    _answer(recommendation, secretary)

    assert run() == 1
    assert run() == 0  # the same change is not told again

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "Өзгерістер" in message.subject
    assert "Жаңа жауаптар: 1." in message.body
    assert "Мәртебесі:" in message.body  # the answer moved the status to answered
    assert f"/kk/councils/almaty/recommendations/?year=2019#rec-{recommendation.pk}" in message.body
    unsubscribe = f"/kk/alerts/unsubscribe/{subscription.token}/"
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_new_document_is_told(council, recommendation, follower, run, secretary):
    follower(recommendation)
    pdf = SimpleUploadedFile("otvet.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    _answer(recommendation, secretary, document=pdf)

    run()

    assert "Новых документов: 1." in mail.outbox[0].body


def test_changes_close_together_go_out_in_one_mail(council, recommendation, follower, run, secretary):
    follower(recommendation)
    _answer(recommendation, secretary)
    assert run() == 1

    monitoring.recommendation_set_status(
        recommendation=recommendation, status=RecommendationStatus.IN_PROGRESS, by=secretary
    )
    monitoring.recommendation_set_status(
        recommendation=recommendation, status=RecommendationStatus.IMPLEMENTED, by=secretary
    )
    assert run(batched=True) == 0  # within the batching window: wait

    assert run() == 1  # then both changes in one mail, as the public sees them now
    assert len(mail.outbox) == 2
    assert "Статус: Исполнена." in mail.outbox[1].body
    assert mail.outbox[1].body.count("Статус:") == 1


def test_a_staff_only_edit_sends_nothing(council, recommendation, follower, run, secretary):
    follower(recommendation)
    # What no public page shows: a note in the status history, the demo flag, the internal key.
    recommendation.history.create(status=recommendation.status, changed_on=dt.date(2019, 6, 2), note="Внутренняя")
    recommendation.is_demo = False
    recommendation.save(update_fields=["is_demo"])

    assert run() == 0
    assert mail.outbox == []


def test_edits_of_an_unpublished_council_are_not_told(council, recommendation, follower, run, secretary):
    follower(recommendation)
    council.is_published = False
    council.save(update_fields=["is_published"])
    _answer(recommendation, secretary)

    assert run() == 0
    assert mail.outbox == []


def test_the_hearings_record_and_documents_are_told(council, follower, run):
    hearing = f.PublicHearingFactory(council=council)
    follower(hearing, language="en")
    participation.hearing_document_add(hearing=hearing, title="Протокол", url="https://example.kz/protocol.pdf")
    hearing.record_published_on = dt.date(2019, 9, 25)
    hearing.resolution = "Рекомендовать доработать проект"
    hearing.save(update_fields=["record_published_on", "resolution"])

    run()

    body = mail.outbox[0].body
    assert "New documents: 1." in body
    assert "The record of the hearing was published on 25.09.2019." in body
    assert "The resolution was published or changed." in body
    assert f"/en/councils/almaty/hearings/{hearing.pk}/" in body


def test_a_draft_reviews_conclusion_is_told(council, follower, run):
    draft = f.DraftActReviewFactory(council=council, conclusion="")
    follower(draft)
    draft.conclusion = "rejected"
    draft.save(update_fields=["conclusion"])

    run()

    assert "Заключение совета: Отклонено." in mail.outbox[0].body


def test_an_information_requests_answer_is_told(council, follower, run, secretary):
    request = monitoring.information_request_create(
        council=council,
        state_body=f.StateBodyFactory(),
        organisation="",
        subject="Данные о качестве воздуха",
        text="Просим предоставить данные",
        by=secretary,
    )
    monitoring.information_request_send(information_request=request, sent_on=dt.date(2019, 6, 3), by=secretary)
    follower(request)
    monitoring.information_request_record_response(
        information_request=request, received_on=dt.date(2019, 6, 10), text="Данные во вложении", by=secretary
    )

    assert run() == 1
    assert "Новых ответов: 1." in mail.outbox[0].body


def test_a_follower_is_not_in_the_council_digest(council, recommendation, follower, secretary, settings):
    follower(recommendation)
    _answer(recommendation, secretary)

    assert send_digests("weekly") == 0
    assert send_digests("daily") == 0


# ---- leaving -------------------------------------------------------------------------------------------------


def test_unsubscribe_in_one_click_deletes_the_address(council, recommendation, follower, run, secretary):
    subscription = follower(recommendation)

    response = Client().get(f"/ru/alerts/unsubscribe/{subscription.token}/")

    assert response.status_code == 200
    assert f"/ru/alerts/follow/recommendations/{recommendation.pk}/" in response.content.decode()
    assert not Subscription.objects.filter(email=EMAIL).exists()
    _answer(recommendation, secretary)
    assert run() == 0


def test_mail_programs_unsubscribe_with_a_post_and_no_csrf_token(council, recommendation, follower):
    subscription = follower(recommendation)

    response = Client(enforce_csrf_checks=True).post(
        f"/ru/alerts/unsubscribe/{subscription.token}/", {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_news_queued_before_unsubscribing_are_not_sent(council, recommendation, follower, secretary):
    subscription = follower(recommendation)
    _answer(recommendation, secretary)
    send_follow_news()  # queued, not yet delivered (on-commit callbacks not run)
    Client().get(f"/ru/alerts/unsubscribe/{subscription.token}/")

    for message in OutboxMessage.objects.filter(target="alerts.send_follow_news"):
        outbox_run(message_id=message.pk)
    assert mail.outbox == []


def test_the_followers_address_is_in_the_register_and_erasable(council, recommendation, follower):
    follower(recommendation)

    found = holdings(EMAIL)

    assert list(found[Subscription]) == [Subscription.objects.get()]


def test_a_data_request_to_the_items_council_finds_the_follow_and_erasure_deletes_it(council, recommendation, follower):
    follower(recommendation)

    councils, councilless = councils_holding(EMAIL)
    rows = scoped(Subscription, Subscription.objects.filter(email=EMAIL), council.pk)
    result = ERASERS["alerts.subscription"](rows)

    assert councils == {council.pk} and not councilless
    assert len(result.erased) == 1
    assert not Subscription.objects.exists()


def test_pages_never_show_the_address(council, recommendation, follower, post):
    follower(recommendation)
    page = Client().get(f"/ru/alerts/follow/recommendations/{recommendation.pk}/").content.decode()
    tracker = Client().get("/ru/councils/almaty/recommendations/?year=2019").content.decode()

    assert EMAIL not in page and EMAIL not in tracker


def test_the_item_going_away_takes_its_followers_with_it(council, recommendation, follower):
    follower(recommendation)

    recommendation.delete()

    assert not Subscription.objects.exists()


def test_an_unconfirmed_follow_is_deleted_after_a_week(council, recommendation, post):
    post(f"/ru/alerts/follow/recommendations/{recommendation.pk}/")

    assert subscriptions_purge_unconfirmed(now=timezone.now() + dt.timedelta(days=8)) == 1
