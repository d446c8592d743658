"""Hostile input against every form and API endpoint that takes input.

Markup, SQL fragments, NUL bytes, lone surrogates, overlong UTF-8, megabyte strings, wrong JSON types, impossible
dates, huge numbers and hostile files (path traversal in the name, ZIP bombs as DOCX, polyglots, executables,
empty and oversize files) go to the public appeal form, the appeal API (JSON and multipart), the tracking page's
message form, the sign-in form and every workspace form the URL map has (walked like the scope test, signed in
as the council's secretary). For each:

1. the answer is a redirect (the value was taken as text) or a clear 4xx, never a 500 and never a 200 that
   stored what it should have refused;
2. a refused post stores nothing: the row count of every domain table and the media folder are unchanged;
3. no page shows the markup as markup: `<script>alert(1)</script>` appears only escaped, on the pages that show
   the value (the tracking page, the staff pages, the council's public pages);
4. a stored file's name stays inside its upload folder, and its original name is shown escaped.

All of the module's tests share one set of records made once (`site`), inside a transaction that is rolled back
at the end; each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Permission, User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, reverse
from django.utils import timezone

from appeals import staff_views
from appeals.models import Appeal, AppealAttachment, AppealStatus
from appeals.staff_forms import StaffRegistrationForm
from councils.models import Convocation, Council, CouncilStaff, StaffRole
from privacy import staff_views as privacy_staff_views
from reports.workspace_views import BuildRequestForm
from tests.conftest import Personas
from tests.workspace import test_scope_all_urls as scope

from . import hostile as h

pytestmark = pytest.mark.django_db

CLEAR_4XX = {400, 403, 404, 405, 413, 415, 429}
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ---- the records every test uses, made once ---------------------------------------------------------------


def _staff(username: str, council: Council, role: StaffRole) -> User:
    user = User.objects.create_user(username=username, password="not-a-real-password", is_staff=True)
    CouncilStaff.objects.create(user=user, council=council, role=role)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["councils", "hearings", "monitoring", "appeals"])
    )
    return user


def _allowed_methods(view: Callable) -> list[str] | None:
    """The methods a function view's `require_http_methods` lets through; None if it does not restrict them."""
    while view is not None:
        for name, cell in zip(view.__code__.co_freevars, view.__closure__ or (), strict=False):
            if name == "request_method_list":
                return list(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def _takes_post(pattern: URLPattern) -> bool | None:
    """True: the page takes a POST; False: it refuses one; None: it does not say (answers any method)."""
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    methods = _allowed_methods(pattern.callback)
    return None if methods is None else "POST" in methods


def _is_button(pattern: URLPattern) -> bool:
    """A POST-only class view that names no form: a button (publish, retry) whose post reads no field."""
    view_class = getattr(pattern.callback, "view_class", None)
    return (
        view_class is not None
        and view_class.http_method_names == ["post"]
        and not hasattr(view_class, "get_form_class")
        and not hasattr(view_class, "form_class")
    )


WORKSPACE = scope.workspace_patterns()
POST_PATTERNS = [e for e in WORKSPACE if _takes_post(e[2]) and not _is_button(e[2])]
# Pages that take a POST but read no field from it: the dashboard (any method) and buttons.
NO_FORM_PATTERNS = [e for e in WORKSPACE if _takes_post(e[2]) is None or (_takes_post(e[2]) and _is_button(e[2]))]


@dataclass
class Site:
    personas: Personas
    world: scope.World
    urls: dict[str, str]
    secretary: Client
    media_root: Path
    chair: Client = field(default_factory=Client)
    forms_cache: dict[str, list[h.HtmlField]] = field(default_factory=dict)


def _client(site: Site, name: str) -> Client:
    """Who posts the address's form: the council's chair on the pages only a chair opens, else its secretary."""
    return site.chair if name in scope.CHAIR_PAGES else site.secretary


def _url_for(name: str, route: str, pattern: URLPattern, world: scope.World, slug: str) -> str:
    kwargs, _names_records = scope.fill_kwargs(name, route, pattern, world, slug)
    return reverse(name, kwargs=kwargs)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Site]:
    media_root = tmp_path_factory.mktemp("module-media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=MD5, MEDIA_ROOT=media_root):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            council = Council.objects.create(
                slug="almaty", code="ALM", name="Общественный совет города Алматы", city="Алматы"
            )
            other = Council.objects.create(
                slug="karaganda", code="KRG", name="Общественный совет Караганды", city="Караганда"
            )
            for c in (council, other):
                Convocation.objects.create(council=c, number=2, name="II состав", start_date="2019-03-01")
            personas = Personas(
                council=council,
                other_council=other,
                secretary=_staff("secretary", council, StaffRole.SECRETARY),
                member=_staff("member", council, StaffRole.MEMBER),
                other_secretary=_staff("other-secretary", other, StaffRole.SECRETARY),
            )
            world = scope.World(personas)
            urls = {name: _url_for(name, route, p, world, council.slug) for route, name, p in WORKSPACE}
            # The records the public pages list, so that they have something to show.
            world.get("monitoring.recommendationresponse")
            world.get("councils.bodymembership")  # a member on the meetings' roll, with a seat in a commission
            secretary = Client()
            secretary.force_login(personas.secretary)
            chair = Client()
            chair.force_login(_staff("chair", council, StaffRole.CHAIR))
            yield Site(personas, world, urls, secretary, media_root, chair=chair)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def media_root(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


# ---- shared checks -----------------------------------------------------------------------------------------


def assert_refused(response, before: dict[str, int], media_root: Path, files_before: set[str], where: str) -> None:
    assert response.status_code in CLEAR_4XX, f"{where}: expected a clear 4xx, got {response.status_code}"
    assert h.changed_tables(before, h.row_counts()) == {}, f"{where}: refused, yet rows were written"
    assert h.stored_files(media_root) == files_before, f"{where}: refused, yet a file was stored"
    h.assert_nothing_raw(response.content, where=where)


def newest(model: type[Any], before: dict[str, int]) -> Any:
    """The one row the request added (the shared records already hold some)."""
    assert model.objects.count() == before[model._meta.label] + 1
    return model.objects.order_by("-id").first()


def assert_appeal_table_intact() -> None:
    # `1; DROP TABLE appeals_appeal; --` went in as text, not as SQL.
    assert "appeals_appeal" in connection.introspection.table_names()


# ---- the public appeal form --------------------------------------------------------------------------------


def appeal_fields(**overrides: Any) -> dict[str, list[h.FieldValue]]:
    data: dict[str, Any] = {
        "applicant_type": "individual",
        "name": "Ахметова Динара Сериковна",
        "organisation": "",
        "bin_iin": "",
        "email": "dinara@example.kz",
        "phone": "",
        "address": "",
        "category": "ecology",
        "subject": "Вырубка деревьев в парке",
        "text": "В парке Горького вырубают здоровые деревья без разрешения.",
        "place": "Алматы, парк Горького",
        "personal_data_consent": "on",
        "website": "",
        "submission_key": "3f1c9d2e8a7b4c6d9e0f1a2b3c4d5e6f",
    }
    data.update(overrides)
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}


# (case, field overrides, stored?) — "stored": the value is ordinary text and the appeal is registered with it.
APPEAL_TEXT_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("subject-script", {"subject": h.SCRIPT}, True),
    ("text-script", {"text": h.SCRIPT}, True),
    ("name-img-attribute", {"name": h.IMG}, True),
    ("place-img-attribute", {"place": h.IMG}, True),
    ("address-script", {"address": h.SCRIPT}, True),
    ("organisation-script", {"applicant_type": "legal_entity", "organisation": h.SCRIPT}, True),
    ("subject-sql-or", {"subject": h.SQL_OR}, True),
    ("text-sql-drop", {"text": h.SQL_DROP}, True),
    ("category-sql", {"category": h.SQL_OR}, False),
    ("applicant-type-script", {"applicant_type": h.SCRIPT}, False),
    ("email-script", {"email": f"{h.SCRIPT}@example.kz"}, False),
    ("phone-sql-drop", {"phone": h.SQL_DROP, "email": ""}, False),
    ("bin-iin-sql", {"bin_iin": h.SQL_OR}, False),
    ("subject-megabyte", {"subject": h.MEGABYTE}, False),
    ("text-megabyte", {"text": h.MEGABYTE}, False),
    ("submission-key-megabyte", {"submission_key": h.MEGABYTE}, False),
    ("subject-nul", {"subject": h.NUL}, False),
    ("name-nul", {"name": h.NUL}, False),
    ("text-nul", {"text": h.NUL}, False),
    ("submission-key-nul", {"submission_key": "key\x00"}, False),
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB of fields) and DATA_UPLOAD_MAX_NUMBER_FIELDS (1000): Django refuses
    # the body before the form sees it.
    ("three-megabyte-fields", {"subject": h.MEGABYTE, "text": h.MEGABYTE, "place": h.MEGABYTE}, False),
    ("two-thousand-fields", {f"junk{i}": h.SQL_OR for i in range(2000)}, False),
    ("subject-overlong-utf8", {"subject": h.OVERLONG}, True),
    ("no-consent-script", {"personal_data_consent": h.SCRIPT}, True),
    ("two-subjects", {"subject": [h.SCRIPT, h.IMG]}, True),
]


def _staff_pages(site: Site, appeal: Appeal) -> list[bytes]:
    slug = site.personas.council.slug
    detail = site.secretary.get(reverse("appeals_staff:detail", kwargs={"slug": slug, "number": appeal.number}))
    inbox = site.secretary.get(reverse("appeals_staff:inbox", kwargs={"slug": slug}))
    assert detail.status_code == inbox.status_code == 200
    return [detail.content, inbox.content]


def _tracking_page(appeal: Appeal) -> bytes:
    response = Client().get(reverse("appeals:track", kwargs={"number": appeal.number, "token": appeal.tracking_token}))
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize(("case", "overrides", "stored"), APPEAL_TEXT_CASES, ids=[c[0] for c in APPEAL_TEXT_CASES])
def test_public_appeal_form_text(site, media_root, case, overrides, stored):
    url = reverse("appeals:new", kwargs={"slug": site.personas.council.slug})
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(Client(), url, appeal_fields(**overrides))

    if not stored:
        assert_refused(response, before, media_root, files_before, case)
        return
    # (A checkbox is ticked by any value: "no-consent-script" registers the appeal.)
    assert response.status_code == 302, response.content[:2000]
    appeal = newest(Appeal, before)
    pages = [response.content, _tracking_page(appeal), *_staff_pages(site, appeal)]
    h.assert_nothing_raw(*pages, where=case)
    if case == "subject-overlong-utf8":
        # Invalid UTF-8 is replaced, never decoded into "<" and ">".
        assert "<" not in appeal.subject and "\ufffd" in appeal.subject
    for value in overrides.values():
        if value in (h.SCRIPT, h.IMG) and case != "no-consent-script":
            escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            assert any(escaped.encode() in page for page in pages), f"{case}: the value is not shown escaped"
    assert_appeal_table_intact()


FILES = h.hostile_files()


def _assert_stored_file_is_contained(attachment: AppealAttachment, media_root: Path, case: str) -> None:
    name = attachment.file.name
    assert name.startswith("appeals/"), f"{case}: stored as {name!r}"
    assert ".." not in name and "\\" not in name and "\x00" not in name, f"{case}: stored as {name!r}"
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(media_root.resolve()), f"{case}: written outside the media folder: {path}"
    original = attachment.original_name
    assert "/" not in original and "\\" not in original and "\x00" not in original, f"{case}: {original!r}"
    assert not original.startswith(".."), f"{case}: {original!r}"
    assert attachment.content_type in h.ALLOWED_CONTENT_TYPES


def _assert_download_is_inert(site: Site, attachment: AppealAttachment, case: str) -> None:
    """A stored polyglot is handed out as what its bytes were checked to be, as a download, never rendered."""
    appeal = attachment.appeal
    url = reverse(
        "appeals_staff:attachment",
        kwargs={"slug": appeal.council.slug, "number": appeal.number, "attachment_id": attachment.pk},
    )
    response = site.secretary.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] in h.ALLOWED_CONTENT_TYPES, f"{case}: served as {response['Content-Type']}"
    assert response["Content-Disposition"].startswith("attachment"), case
    assert response["X-Content-Type-Options"] == "nosniff", case
    # Read to the end: the test client then closes the response itself (closing it by hand would also close the
    # database connection, and with it the module's transaction).
    b"".join(response.streaming_content)


def _check_file_outcome(site, response, hostile: h.HostileFile, before, media_root, files_before, where) -> None:
    if hostile.accepted is False:
        assert_refused(response, before, media_root, files_before, where)
        return
    assert response.status_code in (201, 302), f"{where}: {response.status_code} {response.content[:500]!r}"
    if hostile.accepted is None and AppealAttachment.objects.count() == before["appeals.AppealAttachment"]:
        return  # dropped: a part whose name cannot be decoded is not taken as a file
    attachment = newest(AppealAttachment, before)
    _assert_stored_file_is_contained(attachment, media_root, where)
    _assert_download_is_inert(site, attachment, where)
    pages = [_tracking_page(attachment.appeal), *_staff_pages(site, attachment.appeal)]
    h.assert_nothing_raw(*pages, where=where)
    if hostile.case == "markup-name":
        assert any(b"&lt;img src=x onerror=alert(1)&gt;.pdf" in page for page in pages)


@pytest.mark.parametrize("hostile", FILES, ids=[f.case for f in FILES])
def test_public_appeal_form_file(site, media_root, hostile):
    url = reverse("appeals:new", kwargs={"slug": site.personas.council.slug})
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(
        Client(),
        url,
        appeal_fields(),
        files=[("attachments", hostile.filename, hostile.content, hostile.content_type)],
    )

    _check_file_outcome(site, response, hostile, before, media_root, files_before, f"form {hostile.case}")


# ---- the appeal API ----------------------------------------------------------------------------------------


def api_url(site: Site) -> str:
    return reverse("api-appeal-submit", kwargs={"slug": site.personas.council.slug})


def api_json(**overrides: Any) -> dict[str, Any]:
    data = {k: v[0] for k, v in appeal_fields().items()}
    data["personal_data_consent"] = True
    del data["submission_key"]
    data.update(overrides)
    return data


def _text_with(key: str, escaped_value: str) -> str:
    """A JSON text of the valid appeal whose `key` is written as given (an escape JSON allows but UTF-8 does not)."""
    return json.dumps(api_json(**{key: "@@"}), ensure_ascii=False).replace('"@@"', f'"{escaped_value}"')


# (case, raw JSON text) — every one refused.
API_REFUSED_BODIES: list[tuple[str, str | bytes]] = [
    ("top-level-string", '"abc"'),
    ("top-level-number", "1"),
    ("top-level-null", "null"),
    ("top-level-true", "true"),
    ("top-level-array", "[]"),
    ("top-level-array-of-appeal", json.dumps([api_json()])),
    ("truncated-json", '{"subject": '),
    ("not-utf8", b"\xff\xfe{\x00}\x00"),
    ("subject-list", json.dumps(api_json(subject=["a", "b"]))),
    ("text-object", json.dumps(api_json(text={"$gt": ""}))),
    ("name-list", json.dumps(api_json(name=[h.SCRIPT]))),
    ("category-list", json.dumps(api_json(category=["ecology"]))),
    ("consent-object", json.dumps(api_json(personal_data_consent={"value": True}))),
    ("consent-list", json.dumps(api_json(personal_data_consent=[True]))),
    ("consent-false", json.dumps(api_json(personal_data_consent=False))),
    ("email-number", json.dumps(api_json(email=12345, phone=""))),
    ("applicant-type-null", json.dumps(api_json(applicant_type=None))),
    ("language-list", json.dumps(api_json(language=["ru"]))),
    ("language-script", json.dumps(api_json(language=h.SCRIPT))),
    ("subject-lone-high-surrogate", _text_with("subject", "\\ud800")),
    ("name-lone-low-surrogate", _text_with("name", "Ахметова \\udfff")),
    ("text-reversed-surrogates", _text_with("text", "\\ude00\\ud83d")),
    ("subject-nul", _text_with("subject", "a\\u0000b")),
    ("category-sql", json.dumps(api_json(category=h.SQL_OR))),
    ("subject-megabyte", json.dumps(api_json(subject=h.MEGABYTE))),
    ("text-megabyte", json.dumps(api_json(text=h.MEGABYTE))),
]


@pytest.mark.parametrize(("case", "body"), API_REFUSED_BODIES, ids=[c[0] for c in API_REFUSED_BODIES])
def test_appeal_api_refuses_json(site, media_root, case, body):
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = Client().post(api_url(site), data=body, content_type="application/json")

    assert_refused(response, before, media_root, files_before, case)
    assert response["Content-Type"].startswith("application/json")


# (case, JSON overrides): text, however it looks, is registered as typed.
API_STORED: list[tuple[str, dict[str, Any]]] = [
    ("subject-script", {"subject": h.SCRIPT}),
    ("text-img-attribute", {"text": h.IMG}),
    ("subject-sql-drop", {"subject": h.SQL_DROP}),
    ("subject-emoji-surrogate-pair", {"subject": "Парк 🌳 Қазақстан"}),
]


@pytest.mark.parametrize(("case", "overrides"), API_STORED, ids=[c[0] for c in API_STORED])
def test_appeal_api_takes_hostile_text_as_text(site, case, overrides):
    response = Client().post(api_url(site), data=json.dumps(api_json(**overrides)), content_type="application/json")

    assert response.status_code == 201, response.content[:2000]
    appeal = Appeal.objects.get(number=response.json()["number"])
    for key, value in overrides.items():
        assert getattr(appeal, key) == value
    assert appeal.language in ("ru", "kk", "en")
    h.assert_nothing_raw(_tracking_page(appeal), *_staff_pages(site, appeal), where=case)
    assert_appeal_table_intact()


@pytest.mark.parametrize("key", ["key\x00", h.SCRIPT + "\x00"], ids=["nul", "script-nul"])
def test_appeal_api_refuses_a_hostile_idempotency_key(site, media_root, key):
    before, files_before = h.row_counts(), h.stored_files(media_root)
    response = Client().post(
        api_url(site), data=json.dumps(api_json()), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert_refused(response, before, media_root, files_before, "Idempotency-Key")


def test_appeal_api_refuses_another_content_type(site, media_root):
    before, files_before = h.row_counts(), h.stored_files(media_root)
    response = Client().post(api_url(site), data=h.SCRIPT, content_type="text/html")
    assert_refused(response, before, media_root, files_before, "text/html body")


def test_appeal_api_takes_a_large_legitimate_file(site, media_root):
    """A 5 MB PDF is spooled to a temporary file by Django: the view must not copy it with the fields."""
    response = h.post_multipart(
        Client(),
        api_url(site),
        appeal_fields(personal_data_consent="true"),
        files=[("attachments", b"scan.pdf", h.PDF + bytes(5 * 1024 * 1024), "application/pdf")],
    )

    assert response.status_code == 201, response.content[:2000]
    attachment = Appeal.objects.get(number=response.json()["number"]).attachments.get()
    assert attachment.size > 5 * 1024 * 1024


def test_appeal_api_multipart_overlong_utf8(site):
    response = h.post_multipart(
        Client(), api_url(site), appeal_fields(subject=h.OVERLONG, personal_data_consent="true")
    )

    assert response.status_code == 201, response.content[:2000]
    subject = Appeal.objects.get(number=response.json()["number"]).subject
    assert "<" not in subject and "\ufffd" in subject


@pytest.mark.parametrize("hostile", FILES, ids=[f.case for f in FILES])
def test_appeal_api_multipart_file(site, media_root, hostile):
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(
        Client(),
        api_url(site),
        appeal_fields(personal_data_consent="true"),
        files=[("attachments", hostile.filename, hostile.content, hostile.content_type)],
    )

    _check_file_outcome(site, response, hostile, before, media_root, files_before, f"api {hostile.case}")


# ---- the tracking page's message form ----------------------------------------------------------------------


@pytest.fixture
def tracked(site) -> Appeal:
    from tests import factories as f

    return f.AppealFactory(council=site.personas.council, tracking_token="t0ken-for-the-hostile-tests")


def track_url(appeal: Appeal) -> str:
    return reverse("appeals:track", kwargs={"number": appeal.number, "token": appeal.tracking_token})


MESSAGE_CASES: list[tuple[str, h.FieldValue, bool]] = [
    ("script", h.SCRIPT, True),
    ("img-attribute", h.IMG, True),
    ("sql-drop", h.SQL_DROP, True),
    ("overlong-utf8", h.OVERLONG, True),
    ("nul", h.NUL, False),
    ("megabyte", h.MEGABYTE, False),
]


@pytest.mark.parametrize(("case", "text", "stored"), MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_tracking_message_text(site, tracked, media_root, case, text, stored):
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(Client(), track_url(tracked), {"text": [text]})

    if not stored:
        assert_refused(response, before, media_root, files_before, case)
        return
    assert response.status_code == 302
    message = tracked.messages.get()
    assert "<" not in message.text or message.text == text
    h.assert_nothing_raw(_tracking_page(tracked), *_staff_pages(site, tracked), where=case)


@pytest.mark.parametrize("hostile", FILES, ids=[f.case for f in FILES])
def test_tracking_message_file(site, tracked, media_root, hostile):
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(
        Client(),
        track_url(tracked),
        {"text": ["Фото"]},
        files=[("attachments", hostile.filename, hostile.content, hostile.content_type)],
    )

    _check_file_outcome(site, response, hostile, before, media_root, files_before, f"message {hostile.case}")


def test_wrong_tracking_token_with_hostile_values_gives_404(site, tracked):
    for token in (h.SQL_OR, "..%2F..%2Fetc%2Fpasswd", h.SCRIPT.replace("/", "")):
        response = Client().post(f"/ru/appeals/track/{tracked.number}/{token}/", {"text": h.SCRIPT})
        assert response.status_code == 404
        h.assert_nothing_raw(response.content, where=token)


# ---- the sign-in form --------------------------------------------------------------------------------------

LOGIN_CASES = [
    pytest.param(h.SCRIPT, h.SCRIPT, id="script"),
    pytest.param(h.IMG, "x", id="img-attribute"),
    pytest.param("secretary' OR 1=1 --", h.SQL_OR, id="sql-or"),
    pytest.param(h.SQL_DROP, h.SQL_DROP, id="sql-drop"),
    pytest.param("secretary\x00", "x\x00", id="nul"),
    pytest.param("secretary", h.MEGABYTE, id="megabyte-password"),
    pytest.param(h.OVERLONG, h.OVERLONG, id="overlong-utf8"),
    pytest.param(
        "u" * 300,
        "x",
        id="long-username",
    ),
]


@pytest.mark.parametrize(("username", "password"), LOGIN_CASES)
def test_login_form(site, username, password):
    client = Client()
    before = h.row_counts()

    response = h.post_multipart(client, reverse("login"), {"username": [username], "password": [password]})

    # Django's sign-in page answers a refused sign-in with the form again (200); a lock-out is 403 or 429.
    assert response.status_code in {200} | CLEAR_4XX, response.status_code
    assert "_auth_user_id" not in client.session
    assert h.changed_tables(before, h.row_counts()) == {}
    h.assert_nothing_raw(response.content, where="sign-in")


# ---- every workspace form ----------------------------------------------------------------------------------

FORMSET_FIELD = re.compile(r"^[\w]+-\d+-")


# Views that build their form inside `post` instead of naming it.
FORM_CLASSES_BY_URL_NAME: dict[str, type[forms.BaseForm]] = {"reports_ws:build_request": BuildRequestForm}


def _form_class(name: str, pattern: URLPattern) -> tuple[type[forms.BaseForm] | None, str]:
    """The form class of the address and the prefix its fields carry, when the view names one."""
    action = pattern.default_args.get("action")
    view_class = getattr(pattern.callback, "view_class", None)
    if name in FORM_CLASSES_BY_URL_NAME:
        return FORM_CLASSES_BY_URL_NAME[name], ""
    if view_class is not None:
        kind = getattr(view_class, "kind", None)
        if action and kind is not None:
            return kind.actions[action].form, ""
        return getattr(view_class, "form_class", None), ""
    if name.startswith("privacy_staff:") and action in privacy_staff_views.ACTIONS:
        return privacy_staff_views.ACTIONS[action].form_class, action
    if action in staff_views.ACTIONS:
        return staff_views.ACTIONS[action].form_class, action
    if name == "appeals_staff:new":
        return StaffRegistrationForm, ""
    return None, ""


def _kind_of(f: forms.Field) -> str:
    if isinstance(f, forms.FileField):
        return "file"
    if isinstance(f, forms.DateTimeField):
        return "datetime"
    if isinstance(f, forms.DateField):
        return "date"
    if isinstance(f, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "number"
    if isinstance(f, forms.EmailField):
        return "email"
    if isinstance(f, forms.URLField):
        return "url"
    if isinstance(f, forms.BooleanField):
        return "checkbox"
    if isinstance(f, forms.ChoiceField):
        return "select"
    return "textarea" if isinstance(f.widget, forms.Textarea) else "text"


def _parent_url(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[0] + "/"


def _state_for(name: str, world: scope.World) -> None:
    """Put the records in the state in which the address's action is offered (rolled back with the test)."""
    from monitoring.models import InformationRequest, Recommendation

    today = timezone.localdate()
    appeal = Appeal.objects.filter(pk=world.get("appeals.appeal").pk)
    recommendation = Recommendation.objects.filter(pk=world.get("monitoring.recommendation").pk)
    request = InformationRequest.objects.filter(pk=world.get("monitoring.informationrequest").pk)
    # Where the records start (an earlier post of the same test may have moved them on).
    appeal.update(status=AppealStatus.REGISTERED, forwarded_to=None, extended_until=None, merged_into=None)
    recommendation.update(status="sent")
    request.update(status="draft", sent_on=None, extended_until=None, extension_reason="")
    states: dict[str, Callable[[], Any]] = {
        "appeals_staff:answer": lambda: appeal.update(status=AppealStatus.ASSIGNED),
        "appeals_staff:body-answer": lambda: appeal.update(
            status=AppealStatus.FORWARDED, forwarded_to=world.get("councils.statebody")
        ),
        "appeals_staff:close": lambda: appeal.update(status=AppealStatus.ANSWERED, answer_text="Ответ"),
        "monitoring_ws:recommendation_send": lambda: recommendation.update(status="draft", sent_on=None),
        "monitoring_ws:request_respond": lambda: request.update(status="sent", sent_on=today),
        "monitoring_ws:request_extend": lambda: request.update(status="sent", sent_on=today),
        "monitoring_ws:request_status": lambda: request.update(status="sent", sent_on=today),
    }
    if name in states:
        states[name]()


def workspace_fields(site: Site, name: str, pattern: URLPattern) -> list[h.HtmlField]:
    """The fields of the address's form: read from the page that carries it (the page itself, or for a POST-only
    action the page one level up), typed by the form class where the view names one; the form class alone when
    no page offers the form."""
    if name in site.forms_cache:
        return site.forms_cache[name]
    url = site.urls[name]
    response = _client(site, name).get(url)
    page_url = url if response.status_code == 200 else _parent_url(url)
    if page_url != url:
        response = _client(site, name).get(page_url)
    found: list[h.HtmlField] = []
    if response.status_code == 200:
        for form in h.read_forms(response.content.decode(), page_url):
            if form.action == url:
                found = form.fields
                break
    form_class, prefix = _form_class(name, pattern)
    if form_class is not None:
        declared = {(f"{prefix}-{n}" if prefix else n): f for n, f in form_class.base_fields.items()}
        names = {f.name for f in found}
        for f in found:
            if f.name in declared:
                f.required = declared[f.name].required
                if f.kind not in ("checkbox", "radio", "hidden", "textarea"):
                    f.kind = _kind_of(declared[f.name])
        found += [h.HtmlField(n, _kind_of(d), required=d.required) for n, d in declared.items() if n not in names]
    fields = [f for f in found if f.name != "csrfmiddlewaretoken"]
    site.forms_cache[name] = fields
    return fields


DEFAULTS = {
    "text": "Проверка",
    "textarea": "Проверка",
    "email": "test@example.kz",
    "url": "https://example.kz/",
    "tel": "+7 701 123 45 67",
    "number": "1",
    "date": dt.date.today().isoformat(),
}


def _is_management(name: str) -> bool:
    return name.endswith(h.MANAGEMENT_SUFFIXES)


def _in_use(f: h.HtmlField) -> bool:
    """Fields of an empty extra formset row stay empty: filling them would only make the row incomplete."""
    return not FORMSET_FIELD.match(f.name) or bool(f.value)


def baseline(fields: list[h.HtmlField]) -> dict[str, list[h.FieldValue]]:
    """What a user who changed nothing but the empty required fields would send."""
    data: dict[str, list[h.FieldValue]] = {}
    for f in fields:
        if f.kind == "file":
            continue
        if f.kind == "checkbox":
            if f.checked:
                data.setdefault(f.name, []).append(f.value or "on")
            continue
        if f.kind == "radio":
            if f.checked or f.name not in data:
                data[f.name] = [f.value]
            continue
        if f.value or not f.required or FORMSET_FIELD.match(f.name) or _is_management(f.name):
            value = f.value
        elif f.kind == "select":
            value = next((o for o in f.options if o), "")
        else:
            value = DEFAULTS.get(f.kind, "")
        data[f.name] = [value]
    return data


def _targets(fields: list[h.HtmlField], kinds: set[str], *, numeric_hidden: bool = False) -> list[h.HtmlField]:
    out = []
    for f in fields:
        if _is_management(f.name) or not _in_use(f):
            continue
        # Record ids travel in hidden fields (a formset row's id) and in ticked boxes (who was present).
        if f.kind in kinds or (numeric_hidden and f.kind in ("hidden", "checkbox") and f.value.isdigit()):
            out.append(f)
    return out


TEXT = {"text", "textarea"}
DATES = {"date", "datetime"}
NUMBERS = {"number"}
CHOICES = {"select", "radio"}


@dataclass(frozen=True)
class Case:
    """A hostile post: which fields get which value, and whether the form must refuse it."""

    name: str
    kinds: frozenset[str]
    value: Callable[[h.HtmlField], h.FieldValue]
    must_refuse: bool
    numeric_hidden: bool = False
    only_first: bool = False
    cycle: bool = False  # the text fields take the TEXT_PAYLOADS in turn


# Ordinary text to a form, however it looks: stored as typed, shown escaped.
TEXT_PAYLOADS = (h.SCRIPT, h.SQL_OR, h.IMG, h.SQL_DROP)


def _date_value(bad: str) -> Callable[[h.HtmlField], str]:
    return lambda f: bad + ("T10:00" if f.kind == "datetime" else "")


WORKSPACE_CASES = [
    Case("markup-and-sql-text", frozenset(TEXT), lambda f: TEXT_PAYLOADS[0], must_refuse=False, cycle=True),
    Case("sql-ids", frozenset(NUMBERS | CHOICES), lambda f: h.SQL_DROP, must_refuse=True, numeric_hidden=True),
    Case("nul", frozenset(TEXT | DATES | NUMBERS | {"email", "url"}), lambda f: f"1{h.NUL}", must_refuse=True),
    *[Case(f"bad-date-{bad}", frozenset(DATES), _date_value(bad), must_refuse=True) for bad in h.BAD_DATES],
    Case("number-for-date", frozenset(DATES), lambda f: "12345", must_refuse=True),
    Case("huge-number", frozenset(NUMBERS), lambda f: h.HUGE_NUMBER, must_refuse=True, numeric_hidden=True),
    Case("javascript-url", frozenset({"url"}), lambda f: "javascript:alert(1)", must_refuse=True),
    Case("megabyte", frozenset({"textarea"}), lambda f: h.MEGABYTE, must_refuse=False, only_first=True),
]

PUBLIC_PAGES = ("council", "meetings", "hearings", "monitoring", "draft_reviews", "recommendations", "composition")


def _public_pages(site: Site) -> list[bytes]:
    slug = site.personas.council.slug
    client = Client()
    pages = []
    for name in PUBLIC_PAGES:
        response = client.get(reverse(f"reports:{name}", kwargs={"slug": slug}))
        assert response.status_code == 200, name
        pages.append(response.content)
    for name, label in (
        ("meeting", "hearings.meeting"),
        ("hearing", "hearings.publichearing"),
        ("monitoring_event", "monitoring.monitoringevent"),
    ):
        response = client.get(reverse(f"reports:{name}", kwargs={"slug": slug, "pk": site.world.get(label).pk}))
        assert response.status_code in (200, 404), name  # 404: a record the public does not see
        pages.append(response.content)
    return pages


def _applies(case: Case, name: str, pattern: URLPattern) -> bool:
    """Whether the form has a field the case writes to, as far as its class tells (a view that names no form
    class gets every case; the test skips a case that finds no field on the page)."""
    form_class, _prefix = _form_class(name, pattern)
    if form_class is None:
        return True
    kinds = {_kind_of(f) for f in form_class.base_fields.values()}
    return bool(kinds & case.kinds)


WORKSPACE_PARAMS = [
    pytest.param(name, pattern, case, id=f"{name}-{case.name}")
    for _route, name, pattern in POST_PATTERNS
    for case in WORKSPACE_CASES
    if _applies(case, name, pattern)
]


@pytest.mark.parametrize(("name", "pattern", "case"), WORKSPACE_PARAMS)
def test_workspace_form(site, media_root, name, pattern, case):
    _state_for(name, site.world)
    fields = workspace_fields(site, name, pattern)
    data = baseline(fields)
    targets = _targets(fields, set(case.kinds), numeric_hidden=case.numeric_hidden)
    if case.only_first:
        targets = targets[:1]
    if not targets:
        pytest.skip(f"the form has no field this case writes to ({', '.join(sorted(case.kinds))})")
    for i, f in enumerate(targets):
        data[f.name] = [TEXT_PAYLOADS[i % len(TEXT_PAYLOADS)] if case.cycle else case.value(f)]
    url = site.urls[name]
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(_client(site, name), url, data)

    where = f"{name} {case.name}"
    assert response.status_code != 500
    if case.must_refuse:
        assert_refused(response, before, media_root, files_before, where)
        return
    # Taken as text (the pages that show it are read by the test after this one) or refused by a rule of the
    # form, e.g. a merge into an appeal number that does not exist.
    assert response.status_code in {302} | CLEAR_4XX, f"{where}: {response.status_code}"
    h.assert_nothing_raw(response.content, where=where)
    assert_appeal_table_intact()


@pytest.mark.heavy
def test_markup_stored_through_every_workspace_form_is_escaped_on_every_page(site):
    """Markup goes into every text field of every workspace form, one form after another; then every workspace
    page and the council's public pages are read: none shows it as markup."""
    stored = 0
    for _route, name, pattern in POST_PATTERNS:
        _state_for(name, site.world)
        fields = workspace_fields(site, name, pattern)
        targets = _targets(fields, TEXT)
        # Every text field at once; if a rule of the form refuses that (a list of links is not a link), the
        # first text field alone.
        for chosen in (targets, targets[:1]):
            data = baseline(fields)
            for i, f in enumerate(chosen):
                data[f.name] = [TEXT_PAYLOADS[i % len(TEXT_PAYLOADS)]]
            response = h.post_multipart(_client(site, name), site.urls[name], data)
            assert response.status_code in {302} | CLEAR_4XX, f"{name}: {response.status_code}"
            if response.status_code == 302:
                stored += 1
                break
    assert stored >= len(POST_PATTERNS) // 2, "most forms should take markup as ordinary text"

    pages = _public_pages(site)
    for _route, name, pattern in WORKSPACE:
        if _takes_post(pattern) is not False and "export" not in name and not name.startswith("hearings_ws:minutes_"):
            response = site.secretary.get(site.urls[name])
            if response.status_code == 200:
                pages.append(response.content)
    h.assert_nothing_raw(*pages, where="every page")
    assert any(h.SCRIPT_ESCAPED.encode() in page for page in pages)


FILE_FIELD_PATTERNS = [
    (name, pattern)
    for _route, name, pattern in POST_PATTERNS
    if (cls := _form_class(name, pattern)[0]) is not None
    and any(isinstance(f, forms.FileField) for f in cls.base_fields.values())
]


@pytest.mark.parametrize(
    ("name", "pattern", "hostile"),
    [
        pytest.param(name, pattern, hostile, id=f"{name}-{hostile.case}")
        for name, pattern in FILE_FIELD_PATTERNS
        for hostile in FILES
        if name != "appeals_staff:new" or hostile.case in ("zip-bomb-lying-sizes", "traversal-slash", "markup-name")
    ],
)
def test_workspace_file_field(site, media_root, name, pattern, hostile):
    _state_for(name, site.world)
    fields = workspace_fields(site, name, pattern)
    data = baseline(fields)
    file_fields = [f for f in fields if f.kind == "file"]
    assert file_fields, f"{name}: no file field on the page"
    before, files_before = h.row_counts(), h.stored_files(media_root)

    response = h.post_multipart(
        site.secretary,
        site.urls[name],
        data,
        files=[(file_fields[0].name, hostile.filename, hostile.content, hostile.content_type)],
    )

    where = f"{name} {hostile.case}"
    refused_by_kind = name == "hearings_ws:minutes_upload" and hostile.content.startswith(b"\x89PNG")
    if hostile.accepted is False or refused_by_kind:
        assert_refused(response, before, media_root, files_before, where)
        return
    assert response.status_code in {302} | CLEAR_4XX, f"{where}: {response.status_code}"
    for stored in h.stored_files(media_root) - files_before:
        assert ".." not in stored and "\\" not in stored and not stored.startswith("/"), f"{where}: {stored}"
    h.assert_nothing_raw(response.content, where=where)


@pytest.mark.parametrize(
    ("name", "pattern"), [(n, p) for _r, n, p in NO_FORM_PATTERNS], ids=[n for _r, n, _p in NO_FORM_PATTERNS]
)
def test_workspace_page_without_a_form_ignores_hostile_fields(site, name, pattern):
    """Fields nobody asked for change nothing: the page answers as to an empty post (a refused button says
    why in a message and redirects)."""
    fields = {"q": [h.SCRIPT], "id": [h.SQL_DROP], "pk": [h.HUGE_NUMBER], "date": ["2019-02-30"], "text": [h.NUL]}
    empty = h.post_multipart(site.secretary, site.urls[name], {})
    before = h.row_counts()

    response = h.post_multipart(site.secretary, site.urls[name], fields)

    assert response.status_code == empty.status_code
    assert response.status_code in {200, 302} | CLEAR_4XX
    assert h.changed_tables(before, h.row_counts()) == {}
    h.assert_nothing_raw(response.content, where=name)


def test_the_walk_covers_every_workspace_form():
    names = {name for _route, name, _pattern in POST_PATTERNS}
    for expected in (
        "appeals_staff:new",
        "appeals_staff:answer",
        "hearings_ws:meeting_add",
        "hearings_ws:minutes_upload",
        "monitoring_ws:event_add",
        "monitoring_ws:recommendation_respond",
        "councils_ws:member_add",
        "councils_ws:memorandum_add",
        "councils_ws:consultative_add",
        "reports_ws:build_request",
        "privacy_staff:refuse",
        "privacy_staff:corrected",
        "library_ws:document_add",
        "library_ws:document_edit",
        "outreach_ws:consultation_add",
        "outreach_ws:consultation_edit",
        "outreach_ws:training_add",
        "outreach_ws:training_edit",
    ):
        assert expected in names
    assert {name for name, _p in FILE_FIELD_PATTERNS} >= {"hearings_ws:minutes_upload", "appeals_staff:new"}
