"""The privacy notice (public, three languages) and the register page (staff), both built from the register of
processing; and the completeness of everything built from that register."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from alerts.models import Subscription
from appeals.models import Appeal
from appeals.retention import PERSONAL_FIELDS, POINT_FIELDS, related_models
from core.personal_data import fields_of, register
from privacy.checks import operator_settings
from tests import factories as f

pytestmark = pytest.mark.django_db

REGISTER = "/ru/workspace/almaty/privacy/register/"


@pytest.fixture
def operator(settings):
    settings.OVERSIGHT = {
        **settings.OVERSIGHT,
        "OPERATOR_NAME": "ОФ «Открытые советы»",
        "OPERATOR_ADDRESS": "Алматы, пр. Абая, 1",
        "OPERATOR_EMAIL": "privacy@example.kz",
        "DATA_LOCATION": "дата-центр в Алматы",
        "APPEAL_RETENTION_YEARS": 3,
    }


@pytest.mark.parametrize(
    ("language", "heading", "residency"),
    [
        ("ru", "Политика конфиденциальности", "на территории Республики Казахстан"),
        ("kk", "Құпиялылық саясаты", "Қазақстан Республикасының аумағында"),
        ("en", "Privacy notice", "on the territory of the Republic of Kazakhstan"),
    ],
)
def test_the_notice_speaks_each_language(operator, language, heading, residency):
    response = Client().get(f"/{language}/privacy/")

    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page and residency in page


def test_the_notice_names_the_operator_and_the_settings(operator):
    page = Client().get("/ru/privacy/").content.decode()

    assert "ОФ «Открытые советы»" in page and "Алматы, пр. Абая, 1" in page and "privacy@example.kz" in page
    assert "дата-центр в Алматы" in page
    assert "3 года после его завершения" in page  # the retention setting, with its Russian plural
    assert "статья 8" in page and "статьи 12" in page  # withdrawal and data residency, cited


def test_an_unset_operator_is_said_plainly_and_check_deploy_warns(settings):
    settings.OVERSIGHT = {**settings.OVERSIGHT, "OPERATOR_NAME": "", "DATA_LOCATION": ""}

    page = Client().get("/ru/privacy/").content.decode()

    assert "не задан (OVERSIGHT_OPERATOR_NAME)" in page
    assert {w.msg.split(" ")[0] for w in operator_settings()} >= {"OVERSIGHT_OPERATOR_NAME", "OVERSIGHT_DATA_LOCATION"}


def test_check_deploy_is_quiet_once_the_operator_is_set(operator):
    assert operator_settings() == []


def test_the_notice_lists_every_kind_of_person_the_register_names(operator):
    page = Client().get("/ru/privacy/").content.decode()

    with translation.override("ru"):
        subjects = {str(entry.declaration.subject) for entry in register()}
    assert subjects
    for subject in subjects:
        assert f"<h3>{subject[0].upper()}{subject[1:]}</h3>" in page


def test_the_request_form_is_linked_only_once_it_exists(operator):
    page = Client().get("/ru/privacy/").content.decode()
    try:
        url = reverse("privacy:request")
    except NoReverseMatch:  # not built yet
        assert 'id="privacy-request-link"' not in page
    else:
        assert url in page


def test_the_footer_and_every_public_form_link_the_notice(operator):
    council = f.CouncilFactory(slug="almaty")
    notice = reverse("privacy:notice")
    client = Client()

    home = client.get("/ru/").content.decode()
    appeal_form = client.get(f"/ru/councils/{council.slug}/appeals/new/").content.decode()
    alert_form = client.get("/ru/alerts/subscribe/", {"council": council.slug}).content.decode()

    assert 'id="footer-privacy"' in home and notice in home
    for page in (appeal_form, alert_form):
        assert 'class="privacy-link"' in page


# ---- the register page -------------------------------------------------------------------------------------


def test_the_register_page_lists_every_declared_field(personas, operator):
    page = personas.client_for(personas.secretary).get(REGISTER)

    shown = set(re.findall(r'data-field="([^"]+)"', page.content.decode()))
    assert page.status_code == 200
    assert shown == {entry.label for entry in register()}
    text = page.content.decode()
    assert "Закон № 94-V, ст. 7" in text and "3 лет после его завершения" in text and "дата-центр в Алматы" in text


def test_a_member_may_read_the_register(personas):
    assert personas.client_for(personas.member).get(REGISTER).status_code == 200


def test_another_councils_secretary_gets_404_and_anonymous_the_sign_in(personas):
    assert personas.client_for(personas.other_secretary).get(REGISTER).status_code == 404
    response = Client().get(REGISTER)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---- completeness: everything built from the register covers every personal field -----------------------------


def test_retention_clears_every_personal_field_of_an_applicant():
    """Each declared field of a model that holds an applicant's data is cleared by the retention task: on the
    appeal itself, or on a related model the task walks. A subscriber's row is deleted whole on unsubscribing."""
    on_appeal = set(PERSONAL_FIELDS) | set(POINT_FIELDS)
    walked = set(related_models())
    missing = []
    for entry in register():
        if entry.model is Appeal:
            covered = entry.field.name in on_appeal
        elif entry.model is Subscription:
            covered = True  # alerts.services.subscription_unsubscribe deletes the row
        elif getattr(entry.model, "personal_data_subject", "").startswith("appeal__"):
            covered = entry.model in walked
        else:
            continue  # staff-entered or public records: kept as the council's record, not by this task
        if not covered:
            missing.append(entry.label)

    assert missing == []


def test_anonymisation_leaves_no_trace_in_any_field_the_register_declares(django_capture_on_commit_callbacks):
    """A marker in every declared field of the appeal and of the rows that hang on it; after anonymisation none
    is left anywhere the register points (a state body's answer recorded in a history note included)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from appeals.models import AppealAttachment, AppealMessage, AppealStatus
    from appeals.retention import appeal_anonymise

    marker = "ZXQ-7731"
    appeal = f.AppealFactory(
        status=AppealStatus.CLOSED,
        **{
            e.field.name: f"{marker}@example.kz" if e.field.name == "email" else marker[:12]
            for e in fields_of(Appeal)
            if e.declaration.erase == "blank"
        },
    )
    message = AppealMessage.objects.create(appeal=appeal, author=AppealMessage.Author.CITIZEN, text=marker)
    AppealAttachment.objects.create(
        appeal=appeal,
        message=message,
        file=SimpleUploadedFile(f"{marker}.pdf", b"%PDF-1.4\n"),
        original_name=f"{marker}.pdf",
        content_type="application/pdf",
        size=9,
    )
    appeal.history.create(status=AppealStatus.CLOSED, changed_at=appeal.registered_at, note=f"Ответ: {marker}")

    with django_capture_on_commit_callbacks(execute=True):
        assert appeal_anonymise(appeal_id=appeal.pk)

    left = [
        entry.label
        for entry in register()
        if entry.model is Appeal or getattr(entry.model, "personal_data_subject", "").startswith("appeal__")
        for value in entry.model._default_manager.values_list(entry.field.name, flat=True)
        if marker in str(value or "")
    ]
    assert left == []
