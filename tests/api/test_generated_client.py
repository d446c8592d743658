"""A Python client generated from the live OpenAPI schema with `openapi-python-client` works against the portal:
it lists the councils and submits an appeal as JSON, as multipart with a file and as a form, and each request goes out
with the content type its body really has (one request schema for three media types made the generated client
send a multipart body labelled `application/x-www-form-urlencoded`).

The generator runs offline as a subprocess on the schema that /api/schema/ serves, once per module; the client
talks HTTP to Django's live server (a thread of this process, so the appeals it registers are in the test
database)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache

from appeals.models import Appeal
from councils.models import Council

PACKAGE = "oversight_api_client"


def _generator() -> str:
    """The generator's script, next to this interpreter (the venv's bin/ need not be on PATH)."""
    script = Path(sys.executable).with_name("openapi-python-client")
    return str(script) if script.exists() else (shutil.which("openapi-python-client") or "openapi-python-client")


@pytest.fixture(scope="module")
def generated(django_db_setup, live_server, tmp_path_factory):
    """The client package generated from the schema the live server serves, imported. (The test database first:
    the live server, torn down before it, closes its connection before the database is dropped.)"""
    root = tmp_path_factory.mktemp("generated_client")
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as answer:  # noqa: S310 (loopback)
        (root / "schema.json").write_bytes(answer.read())
    # No post hooks: they would run ruff on the generated code, which a test has no need of.
    (root / "config.yaml").write_text("post_hooks: []\n")
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [
            _generator(),
            "generate",
            "--path",
            str(root / "schema.json"),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(root / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def council(transactional_db) -> Council:
    cache.clear()  # the appeal rate limits count in the cache
    return Council.objects.create(slug="almaty", code="ALM", name="Общественный совет города Алматы", city="Алматы")


@pytest.fixture
def client(generated, live_server):
    client_class = importlib.import_module(f"{PACKAGE}.client").Client
    return client_class(base_url=live_server.url, raise_on_unexpected_status=True)


def _module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


FIELDS = {
    "applicant_type": "individual",
    "name": "Серикбаев Арман",
    "email": "arman@example.kz",
    "category": "ecology",
    "subject": "Свалка у реки",
    "text": "У реки Есентай образовалась стихийная свалка.",
    "personal_data_consent": True,
    "language": "ru",
}


def _submitted(response, sent: dict) -> Appeal:
    """The appeal the answer names, checked against what was sent."""
    assert response.status_code == 201, response.content
    answer = response.parsed
    appeal = Appeal.objects.get(number=answer.number)
    assert appeal.tracking_token in answer.tracking_url
    assert (appeal.applicant_name, appeal.subject, appeal.text) == (sent["name"], sent["subject"], sent["text"])
    assert appeal.personal_data_consent is True
    return appeal


def test_the_generated_client_lists_the_councils(generated, client, council):
    councils_list = _module("api.councils.councils_list")

    page = councils_list.sync(client=client)

    assert [c.slug for c in page.results] == ["almaty"]
    assert page.count == 1


def test_the_generated_client_submits_an_appeal_as_json(generated, client, council):
    submit = _module("api.appeals.councils_appeals_create")
    body = _module("models").AppealSubmitRequest.from_dict(FIELDS)

    response = submit.sync_detailed(slug="almaty", client=client, body=body, idempotency_key="client-json-1")

    appeal = _submitted(response, FIELDS)
    assert appeal.attachments.count() == 0
    # The same key again: the same appeal, not a second one.
    again = submit.sync_detailed(slug="almaty", client=client, body=body, idempotency_key="client-json-1")
    assert again.status_code == 200
    assert again.parsed.number == appeal.number
    assert Appeal.objects.count() == 1


def test_the_generated_client_submits_an_appeal_with_a_file_as_multipart(generated, client, council):
    submit = _module("api.appeals.councils_appeals_create")
    models = _module("models")
    types = _module("types")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    body = models.AppealSubmitMultipartRequest.from_dict(FIELDS)
    body.attachments = [types.File(payload=pdf, file_name="act.pdf", mime_type="application/pdf")]

    response = submit.sync_detailed(slug="almaty", client=client, body=body)

    appeal = _submitted(response, FIELDS)
    [attachment] = appeal.attachments.all()
    assert attachment.original_name == "act.pdf"
    assert attachment.file.read() == pdf


def test_the_generated_client_submits_an_appeal_as_a_form(generated, client, council):
    submit = _module("api.appeals.councils_appeals_create")
    body = _module("models").AppealSubmitFormRequest.from_dict(FIELDS)

    response = submit.sync_detailed(slug="almaty", client=client, body=body)

    assert _submitted(response, FIELDS).attachments.count() == 0


def test_each_request_media_type_has_its_own_schema_and_only_multipart_takes_files(generated):
    """What the generated client is built from: three media types, three schemas, files in multipart only."""
    schema = json.loads((Path(generated.__file__).parent.parent / "schema.json").read_text())
    content = schema["paths"]["/api/v1/councils/{slug}/appeals/"]["post"]["requestBody"]["content"]
    refs = {media: body["schema"]["$ref"].rsplit("/", 1)[-1] for media, body in content.items()}
    assert len(set(refs.values())) == len(refs), refs
    for media, name in refs.items():
        properties = schema["components"]["schemas"][name]["properties"]
        assert ("attachments" in properties) is (media == "multipart/form-data"), (media, sorted(properties))
