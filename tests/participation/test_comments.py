"""Comments from the public on an open hearing or draft: nothing is public before a moderator approves it, the
author's name and e-mail never are, and a closed window refuses the form with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from participation.models import CommentStatus, PublicComment
from tests import factories as f

from .conftest import comment_post

pytestmark = pytest.mark.django_db


def _url(name: str, target, language: str = "ru") -> str:
    with translation.override(language):
        return reverse(f"reports:{name}", kwargs={"slug": target.council.slug, "pk": target.pk})


def _moderate(personas, comment, **data):
    url = reverse("participation_ws:comment", kwargs={"slug": personas.council.slug, "pk": comment.pk})
    return personas.client_for(personas.secretary).post(url, {"action": "moderate", **data})


def test_a_comment_is_not_public_until_a_moderator_approves_it(personas, client, open_hearing):
    url = _url("hearing_consultation", open_hearing)

    response = client.post(url, comment_post())

    assert response.status_code == 302
    comment = PublicComment.objects.get()
    assert comment.status == CommentStatus.PENDING
    page = client.get(url).content.decode()
    assert "полив дорог" not in page
    api = client.get(reverse("open_api:public-comment-list"), {"format": "json"}).json()
    assert api["count"] == 0

    assert _moderate(personas, comment, decision="publish").status_code == 302

    page = client.get(url).content.decode()
    assert "полив дорог" in page
    assert "Ахметова" not in page and "dinara@example.kz" not in page
    api = client.get(reverse("open_api:public-comment-list"), {"format": "json"}).json()
    assert [row["text"] for row in api["results"]] == [comment.text]
    assert "Ахметова" not in str(api) and "dinara" not in str(api)


def test_a_rejected_comment_needs_a_reason_and_never_appears(personas, client, open_hearing):
    client.post(_url("hearing_consultation", open_hearing), comment_post(text="Оскорбительный текст"))
    comment = PublicComment.objects.get()

    refused = _moderate(personas, comment, decision="reject", reason="")
    assert refused.status_code == 400
    assert refused.context["moderation_form"].errors["reason"]

    assert _moderate(personas, comment, decision="reject", reason="Оскорбления").status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert "Оскорбительный" not in client.get(_url("hearing_consultation", open_hearing)).content.decode()


def test_moderation_is_audited_with_the_moderator(personas, client, open_hearing):
    client.post(_url("hearing_consultation", open_hearing), comment_post())
    comment = PublicComment.objects.get()

    _moderate(personas, comment, decision="publish")

    last = comment.audit_history.order_by("-history_date").first()
    assert last.status == CommentStatus.PUBLISHED
    assert last.history_user == personas.secretary
    comment.refresh_from_db()
    assert comment.moderated_by == personas.secretary


def test_a_member_may_read_the_queue_but_not_moderate(personas, client, open_hearing):
    client.post(_url("hearing_consultation", open_hearing), comment_post())
    comment = PublicComment.objects.get()
    member = personas.client_for(personas.member)
    url = reverse("participation_ws:comment", kwargs={"slug": personas.council.slug, "pk": comment.pk})

    assert member.get(url).status_code == 200
    assert member.post(url, {"action": "moderate", "decision": "publish"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_another_councils_secretary_cannot_see_the_comment(personas, client, open_hearing):
    client.post(_url("hearing_consultation", open_hearing), comment_post())
    comment = PublicComment.objects.get()
    other = personas.client_for(personas.other_secretary)
    url = reverse("participation_ws:comment", kwargs={"slug": personas.other_council.slug, "pk": comment.pk})

    assert other.get(url).status_code == 404


def test_the_pseudonym_signs_the_published_comment(personas, client, open_hearing):
    client.post(_url("hearing_consultation", open_hearing), comment_post(pseudonym="Жительница Талгара"))
    _moderate(personas, PublicComment.objects.get(), decision="publish")

    page = client.get(_url("hearing_consultation", open_hearing)).content.decode()

    assert "Жительница Талгара" in page


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (-10, -1, "The comment period closed on"),
        (2, 5, "Comments open on"),
    ],
)
def test_outside_the_window_the_form_refuses_with_a_clear_message(personas, client, today, opens, closes, message):
    hearing = f.PublicHearingFactory(
        council=personas.council,
        date=today + dt.timedelta(days=10),
        comments_open=today + dt.timedelta(days=opens),
        comments_close=today + dt.timedelta(days=closes),
    )
    url = _url("hearing_consultation", hearing, "en")

    page = client.get(url)
    response = client.post(url, comment_post())

    assert message in page.content.decode()
    assert 'id="send-comment"' not in page.content.decode()
    assert response.status_code == 400
    assert message in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_a_draft_after_its_discussion_takes_no_comments(personas, client, today):
    draft = f.DraftActReviewFactory(
        council=personas.council,
        discussion_start=today - dt.timedelta(days=20),
        discussion_end=today - dt.timedelta(days=1),
    )

    response = client.post(_url("draft_consultation", draft, "en"), comment_post())

    assert response.status_code == 400
    assert "The comment period closed on" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_an_open_draft_shows_its_text_and_takes_comments(personas, client, open_draft):
    url = _url("draft_consultation", open_draft)

    page = client.get(url).content.decode()
    response = client.post(url, comment_post(kind="question", text="Почему сокращён срок?"))

    assert "https://legalacts.egov.kz/npa/view?id=1" in page
    assert response.status_code == 302
    comment = PublicComment.objects.get()
    assert comment.draft == open_draft and comment.hearing is None and comment.kind == "question"


def test_the_form_keeps_what_was_typed_when_consent_is_missing(client, open_hearing):
    response = client.post(_url("hearing_consultation", open_hearing), comment_post(personal_data_consent=""))

    assert response.status_code == 400
    assert "полив дорог" in response.content.decode()
    assert PublicComment.objects.count() == 0


def test_the_honeypot_refuses_a_robot(client, open_hearing):
    response = client.post(_url("hearing_consultation", open_hearing), comment_post(website="http://spam.example"))

    assert response.status_code == 400
    assert PublicComment.objects.count() == 0


def test_the_form_is_rate_limited_per_address(client, settings, open_hearing):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "PARTICIPATION_RATE_PER_EMAIL": "2/h"}
    url = _url("hearing_consultation", open_hearing)

    statuses = [client.post(url, comment_post(text=f"Замечание {i}")).status_code for i in range(3)]

    assert statuses == [302, 302, 429]
    assert PublicComment.objects.count() == 2


def test_answers_are_public_with_the_record_and_the_record_needs_every_answer(personas, client, open_hearing):
    client.post(_url("hearing_consultation", open_hearing), comment_post())
    comment = PublicComment.objects.get()
    _moderate(personas, comment, decision="publish")
    secretary = personas.client_for(personas.secretary)
    detail = reverse("participation_ws:comment", kwargs={"slug": personas.council.slug, "pk": comment.pk})
    record = reverse("participation_ws:record", kwargs={"slug": personas.council.slug, "pk": open_hearing.pk})

    secretary.post(record)
    open_hearing.refresh_from_db()
    assert open_hearing.record_published_on is None  # an unanswered comment holds the record back

    no_reason = secretary.post(detail, {"action": "answer", "outcome": "rejected", "answer": ""})
    assert no_reason.status_code == 400
    secretary.post(detail, {"action": "answer", "outcome": "rejected", "answer": "Полив предусмотрен проектом, п. 4.2"})
    before = client.get(_url("hearing_consultation", open_hearing)).content.decode()
    assert "Полив предусмотрен" not in before

    secretary.post(record)

    after = client.get(_url("hearing_consultation", open_hearing, "en")).content.decode()
    assert "Полив предусмотрен проектом" in after
    assert "0 taken into account, 0 partly, 1 not taken into account" in after


def test_the_draft_conclusion_says_how_public_comments_were_treated(personas, client, open_draft):
    client.post(_url("draft_consultation", open_draft), comment_post())
    comment = PublicComment.objects.get()
    _moderate(personas, comment, decision="publish")
    secretary = personas.client_for(personas.secretary)
    detail = reverse("participation_ws:comment", kwargs={"slug": personas.council.slug, "pk": comment.pk})
    secretary.post(detail, {"action": "answer", "outcome": "accepted", "answer": "Учтено в редакции от 01.03"})
    open_draft.conclusion = "approved_with_remarks"
    open_draft.remarks = "Учесть замечания жителей"
    open_draft.save()

    page = client.get(_url("draft_consultation", open_draft, "en")).content.decode()

    assert "1 taken into account, 0 partly, 0 not taken into account" in page
    assert "Учтено в редакции" in page
