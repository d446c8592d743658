"""The public pages, the question form and its moderation, the deputy's office, the workspace of an NGO monitor,
the open API and the Popolo export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from deputies import services
from deputies.models import (
    ActivityKind,
    Answer,
    Question,
    QuestionStatus,
    ReviewStatus,
    Session,
    VoteOption,
)
from tests.interchange.test_open_data import popolo_validators

SECRET_EMAIL = "zxq-author-7731@example.kz"
SECRET_NAME = "Секретов Автор"


def question_post(**overrides):
    data = {
        "subject": "Освещение улицы",
        "text": "Қашан көшеге жарық орнатылады? Когда будет освещение?",
        "author_name": SECRET_NAME,
        "author_email": SECRET_EMAIL,
        "accepts_code": "on",
        "personal_data_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_is_my_deputy_finds_the_constituencys_deputy(dw):
    response = Client().get("/ru/deputies/who/", {"locality": dw.locality.pk})

    assert response.status_code == 200
    assert "Иванова Анна Петровна" in response.content.decode()
    assert "Сейткали" not in response.content.decode()
    assert Client().get("/ru/deputies/who/", {"locality": "99999"}).status_code == 404
    assert Client().get("/ru/deputies/who/", {"locality": "<script>"}).status_code == 404


def test_the_body_page_shows_the_composition_on_a_date(dw):
    mandate = dw.seitkali.mandates.get()
    services.mandate_end(mandate=mandate, end_date=dt.date(2024, 5, 31), reason="resignation")

    before = Client().get(f"/ru/deputies/bodies/{dw.body.slug}/", {"date": "2024-05-01"}).content.decode()
    after = Client().get(f"/ru/deputies/bodies/{dw.body.slug}/", {"date": "2024-06-01"}).content.decode()

    assert "Сейткали" in before
    assert "Сейткали" not in after.split("comp-h")[1].split("</table>")[0]
    bad = Client().get(f"/ru/deputies/bodies/{dw.body.slug}/", {"date": "32.13.2024"})
    assert bad.status_code == 400


def test_a_question_in_kazakh_is_moderated_published_answered_and_counted(dw):
    cache.clear()
    response = Client().post(f"/kk/deputies/people/{dw.ivanova.slug}/ask/", question_post())
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.language, question.status) == ("kk", QuestionStatus.PENDING)
    page = Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/").content.decode()
    assert "Освещение улицы" not in page  # not before moderation

    moderate = signed_in(dw.reviewer).post(
        f"/ru/workspace/{dw.ngo.slug}/deputies/questions/{question.pk}/moderate/", {"decision": "publish"}
    )
    assert moderate.status_code == 302
    answer = signed_in(dw.office).post(
        f"/ru/deputy-office/questions/{question.pk}/answer/", {"text": "Жарық мамыр айында орнатылады."}
    )
    assert answer.status_code == 302

    page = Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/").content.decode()
    assert "Освещение улицы" in page and "Жарық мамыр айында орнатылады." in page
    assert "100%" in page
    assert SECRET_EMAIL not in page and SECRET_NAME not in page


def test_the_question_form_refuses_without_consent_and_keeps_what_was_typed(dw):
    cache.clear()
    response = Client().post(f"/ru/deputies/people/{dw.ivanova.slug}/ask/", question_post(personal_data_consent=""))
    assert response.status_code == 400
    assert "Освещение улицы" in response.content.decode()
    assert not Question.objects.exists()


def test_the_honeypot_and_the_rate_limit_refuse(dw, settings):
    cache.clear()
    assert Client().post(f"/ru/deputies/people/{dw.ivanova.slug}/ask/", question_post(website="x")).status_code == 400
    settings.OVERSIGHT = {**settings.OVERSIGHT, "APPEAL_RATE_PER_IP": "2/h", "APPEAL_RATE_PER_EMAIL": "100/h"}
    client = Client()
    codes = [client.post(f"/ru/deputies/people/{dw.ivanova.slug}/ask/", question_post()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Question.objects.count() == 2


def test_a_rejected_question_never_appears_and_the_reason_is_required(dw):
    question = services.question_submit(
        deputy=dw.ivanova,
        data=services.QuestionData(SECRET_NAME, SECRET_EMAIL, "Ругань", "Очень грубый текст вопроса", True),
        language="ru",
    )
    client = signed_in(dw.reviewer)
    url = f"/ru/workspace/{dw.ngo.slug}/deputies/questions/{question.pk}/moderate/"
    assert client.post(url, {"decision": "reject", "reason": ""}).status_code == 400
    assert client.post(url, {"decision": "reject", "reason": "п. 2"}).status_code == 302
    assert "Ругань" not in Client().get(f"/ru/deputies/people/{dw.ivanova.slug}/").content.decode()


def test_another_deputys_office_cannot_answer(dw):
    question = services.question_submit(
        deputy=dw.seitkali,
        data=services.QuestionData(SECRET_NAME, SECRET_EMAIL, "Тема", "Текст вопроса к депутату", True),
        language="ru",
    )
    services.question_moderate(question=question, user=dw.reviewer, publish=True)
    response = signed_in(dw.office).post(f"/ru/deputy-office/questions/{question.pk}/answer/", {"text": "x"})
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_an_outsider_ngo_gets_404_in_the_workspace(dw):
    from tests.deputies.world import build

    other = build(slug="echo", city="almaty")
    assert signed_in(other.monitor).get(f"/ru/workspace/{dw.ngo.slug}/deputies/").status_code == 404
    assert signed_in(dw.monitor).get(f"/ru/workspace/{dw.ngo.slug}/deputies/").status_code == 200


def test_the_workspace_records_a_session_and_a_second_person_publishes_it(dw):
    client = signed_in(dw.monitor)
    response = client.post(
        f"/ru/workspace/{dw.ngo.slug}/deputies/sessions/add/",
        {"body": dw.body.pk, "number": 7, "kind": "regular", "date": "2024-04-25", "source_url": "https://m.kz/7"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get()
    vote = client.post(
        f"/ru/workspace/{dw.ngo.slug}/deputies/sessions/{session.pk}/votes/add/",
        {"motion": "О бюджете", f"d{dw.ivanova.pk}": VoteOption.YES, f"d{dw.seitkali.pk}": VoteOption.NO},
    )
    assert vote.status_code == 302
    client.post(f"/ru/workspace/{dw.ngo.slug}/deputies/sessions/{session.pk}/publish/")
    assert Session.objects.get().status == ReviewStatus.DRAFT  # the same person cannot publish
    signed_in(dw.reviewer).post(f"/ru/workspace/{dw.ngo.slug}/deputies/sessions/{session.pk}/publish/")
    assert Session.objects.get().status == ReviewStatus.PUBLISHED

    page = Client().get(f"/ru/deputies/sessions/{session.pk}/").content.decode()
    assert "О бюджете" in page
    api = Client().get("/api/v1/deputy-votes/").json()
    assert api["results"][0]["counts"] == {"yes": 1, "no": 1, "abstain": 0, "absent": 0}


def test_a_session_without_a_source_is_refused_with_the_form_kept(dw):
    response = signed_in(dw.monitor).post(
        f"/ru/workspace/{dw.ngo.slug}/deputies/sessions/add/",
        {"body": dw.body.pk, "number": 7, "kind": "regular", "date": "2024-04-25", "agenda": "Бюджет"},
    )
    assert response.status_code == 400
    assert "Бюджет" in response.content.decode()


def test_the_import_reports_rejected_rows(dw):
    csv_text = "full_name,party,constituency,post,start_date\nНовиков Павел,Ак жол,2,,2023-04-01\n,,1,,\n"
    upload = SimpleUploadedFile("list.csv", csv_text.encode("utf-8-sig"), content_type="text/csv")
    response = signed_in(dw.monitor).post(
        f"/ru/workspace/{dw.ngo.slug}/deputies/import/", {"body": dw.body.pk, "file": upload}
    )
    assert response.status_code == 200
    assert 'id="rejected-rows"' in response.content.decode()


def _published(dw):
    session = services.session_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.SessionData(body=dw.body, number=3, date=dt.date(2024, 2, 20), source_url="https://m.kz/3"),
        attendance={dw.ivanova.pk: "present", dw.seitkali.pk: "absent"},
    )
    services.vote_record(session=session, motion="Повестка", ballots={dw.ivanova.pk: "yes", dw.listed.pk: "abstain"})
    services.record_publish(record=session, reviewer=dw.reviewer)
    activity = services.activity_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.ActivityData(
            deputy=dw.ivanova,
            kind=ActivityKind.INQUIRY,
            date=dt.date(2024, 3, 1),
            title="Запрос",
            source_url="https://m.kz/q",
        ),
    )
    services.record_publish(record=activity, reviewer=dw.reviewer)
    return session


def test_the_popolo_export_validates_against_the_popolo_schemas(dw):
    _published(dw)
    document = json.loads(Client().get(f"/api/v1/deputies-popolo/{dw.body.slug}.json").content)
    validators = popolo_validators()
    lists = {
        "persons": "person",
        "organizations": "organization",
        "memberships": "membership",
        "posts": "post",
        "events": "event",
        "vote_events": "vote_event",
    }
    errors = []
    for collection, schema in lists.items():
        assert document[collection], collection
        for n, item in enumerate(document[collection]):
            errors += [f"{collection}[{n}]: {e.message}" for e in validators[schema].iter_errors(item)]
    for event in document["vote_events"]:
        for n, vote in enumerate(event["votes"]):
            errors += [f"vote[{n}]: {e.message}" for e in validators["vote"].iter_errors(vote)]
    assert errors == []
    ids = {item["id"] for c in ("persons", "organizations", "posts") for item in document[c]}
    assert all({m["person_id"], m["organization_id"]} <= ids for m in document["memberships"])
    assert {c["option"]: c["value"] for c in document["vote_events"][0]["counts"]}["abstain"] == 1
    broken = {**document["memberships"][0], "start_date": "29.03.2023"}
    assert list(validators["membership"].iter_errors(broken))


def test_the_open_api_lists_mandates_on_a_date_and_never_question_authors(dw):
    _published(dw)
    services.question_submit(
        deputy=dw.ivanova,
        data=services.QuestionData(SECRET_NAME, SECRET_EMAIL, "Тема", "Текст вопроса к депутату", True),
        language="ru",
    )
    mandates = Client().get("/api/v1/mandates/", {"body": dw.body.slug, "on": "2024-01-01"}).json()
    assert mandates["count"] == 3
    for path in (
        "/api/v1/deputies/",
        "/api/v1/mandates/",
        "/api/v1/deputy-sessions/",
        "/api/v1/representative-bodies/",
    ):
        body = Client().get(path).content.decode()
        assert SECRET_EMAIL not in body and SECRET_NAME not in body


def test_the_comparison_lists_sixteen_cities_with_a_methodology(dw):
    _published(dw)
    page = Client().get("/ru/deputies/compare/", {"year": "2024"}).content.decode()
    assert page.count('scope="row"') == 16
    assert 'id="methodology"' in page
    assert Client().get("/ru/deputies/compare/", {"year": "abc"}).status_code == 200


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_public_pages_open_in_every_language(dw, lang):
    session = _published(dw)
    for path in (
        "/deputies/",
        "/deputies/who/",
        "/deputies/compare/",
        "/deputies/code-of-conduct/",
        f"/deputies/bodies/{dw.body.slug}/",
        f"/deputies/people/{dw.ivanova.slug}/",
        f"/deputies/people/{dw.ivanova.slug}/ask/",
        f"/deputies/sessions/{session.pk}/",
    ):
        assert Client().get(f"/{lang}{path}").status_code == 200, path


def test_a_draft_session_is_not_public(dw):
    session = services.session_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.SessionData(body=dw.body, number=3, date=dt.date(2024, 2, 20), source_url="https://m.kz/3"),
        attendance={},
    )
    assert Client().get(f"/ru/deputies/sessions/{session.pk}/").status_code == 404
    assert Client().get("/api/v1/deputy-sessions/").json()["count"] == 0
    assert timezone.now()


def test_the_annual_monitoring_report_is_a_pdf_with_the_bodys_figures(dw):
    import io

    import pikepdf

    _published(dw)
    response = Client().get(f"/ru/deputies/bodies/{dw.body.slug}/report/2024.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(response.content)) as document:
        assert len(document.pages) >= 1
    from deputies.report import render_html

    html = render_html(body=dw.body, year=2024, language="ru", as_of=dt.date(2024, 12, 31))
    assert "Иванова Анна Петровна" in html and "Повестка" in html
    assert SECRET_EMAIL not in html
    assert Client().get(f"/ru/deputies/bodies/{dw.body.slug}/report/1999.pdf").status_code == 404


def test_the_ngo_dashboard_counts_what_waits_for_moderation_and_review(dw):
    services.question_submit(
        deputy=dw.ivanova,
        data=services.QuestionData(SECRET_NAME, SECRET_EMAIL, "Тема", "Текст вопроса к депутату", True),
        language="ru",
    )
    services.session_record(
        monitor=dw.ngo,
        user=dw.monitor,
        data=services.SessionData(body=dw.body, number=3, date=dt.date(2024, 2, 20), source_url="https://m.kz/3"),
        attendance={},
    )
    page = signed_in(dw.reviewer).get(f"/ru/workspace/{dw.ngo.slug}/").content.decode()
    pending = page.split('id="deputy-questions-pending"')[1].split("</li>")[0]
    drafts = page.split('id="deputy-drafts"')[1].split("</li>")[0]
    assert "<strong>1</strong>" in pending and "<strong>1</strong>" in drafts
