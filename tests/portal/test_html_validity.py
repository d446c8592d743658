"""Issue 15, item 11: every public page is valid HTML, as the Nu HTML Checker (vnu.jar, the W3C validator's engine)
judges it, in Russian, Kazakh and English.

The pages are every public address (tests/public_pages.py: the URL map's public patterns that the personal-data
walk finds, filled from its planted records and a fuller council, the tracking page and the 404 page) with the
query strings that change them, plus the states a visitor reaches by acting: the appeal, alert and personal-data
request forms in error and the appeal's feedback in error (and one workspace form in error, for the formset
partials the workspace's forms share). Each page is rendered with the test client and written to a folder; vnu
checks the whole folder in one run (it is a JVM: seconds to start, milliseconds per page). A page known to be
invalid goes into the same run, so a checker that stopped reporting would fail the test instead of passing it.

vnu.jar comes from the npm package vnu-jar and runs on Debian's Java (scripts/setup.sh --test installs both).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from appeals.notifications import tracking_path
from councils.models import CouncilStaff, StaffRole
from hearings.models import AgendaItemKind, MeetingKind
from tests.public_pages import LANGUAGES, fill, public_pages
from tests.test_privacy import World, world  # noqa: F401 (world is a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / ".cache" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The pages the walk must reach; a change to the URL map that lost one of them would make the test vacuous.
MUST_CHECK = {
    "reports:home",
    "reports:councils",
    "reports:council",
    "reports:composition",
    "reports:meetings",
    "reports:meeting",
    "reports:hearings",
    "reports:hearing",
    "reports:monitoring",
    "reports:monitoring_event",
    "reports:draft_reviews",
    "reports:recommendations",
    "reports:reports",
    "reports:search",
    "reports:state_bodies",
    "reports:state_body",
    "appeals:new",
    "appeals:new in error",
    "appeals:track",
    "appeals:feedback in error",
    "alerts:subscribe",
    "alerts:subscribe in error",
    "alerts:confirm",
    "alerts:unsubscribe",
    "privacy:notice",
    "privacy:request",
    "privacy:request in error",
    "api-docs",
    "404",
    "workspace: a meeting's agenda in error",
}
# A page vnu must find fault with: the checker is running and reporting.
LANG = re.compile(rb"<html[^>]* lang=\"(ru|kk|en)\"")
CANARY = '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><form action=""></form></body></html>'


@dataclass
class Rendered:
    folder: Path
    pages: dict[str, str] = field(default_factory=dict)  # file name -> "label: address"
    labels: set[str] = field(default_factory=set)

    def add(self, label: str, where: str, response) -> None:
        if not response.get("Content-Type", "").startswith("text/html") or 300 <= response.status_code < 400:
            return  # a feed, a file, JSON, or a redirect to a page that is checked on its own
        assert response.status_code < 500, f"{where} answered {response.status_code}"
        name = f"page-{len(self.pages):04d}.html"
        (self.folder / name).write_bytes(response.content)
        self.pages[name] = f"{label}: {where}"
        self.labels.add(label)


def _get(rendered: Rendered, client: Client, label: str, path: str, query: dict[str, str] | None = None) -> None:
    cache.clear()  # the page cache and the rate limits
    where = f"{path}?{urlencode(query)}" if query else path
    rendered.add(label, where, client.get(path, query or {}))


def _post(rendered: Rendered, client: Client, label: str, path: str, data: dict[str, str]) -> None:
    cache.clear()
    response = client.post(path, data)
    assert response.status_code in (200, 400), f"POST {path} answered {response.status_code}, not the form in error"
    rendered.add(label, f"POST {path}", response)


def _render_everything(planted: World, folder: Path) -> Rendered:
    rendered = Rendered(folder)
    client = Client()
    appeal = fill(planted)
    for label, path, query in public_pages(planted, appeal):
        if path.startswith("/api/") and label != "api-docs":
            continue  # JSON, CSV and XLSX: checked by the API's own tests
        _get(rendered, client, label, path, query)
    for language in LANGUAGES:
        prefix = f"/{language}"
        _post(rendered, client, "appeals:new in error", f"{prefix}/councils/almaty/appeals/new/", {})
        _post(rendered, client, "alerts:subscribe in error", f"{prefix}/alerts/subscribe/?council=almaty", {})
        _post(rendered, client, "privacy:request in error", f"{prefix}/privacy/request/", {})
        track = tracking_path(appeal, language)
        _post(rendered, client, "appeals:feedback in error", f"{track}feedback/", {"feedback-resolved": "no"})
    _workspace_formset_in_error(rendered, planted.council)
    return rendered


def _workspace_formset_in_error(rendered: Rendered, council) -> None:
    """Not a public page, but the workspace's shared formset partials (an agenda, participants, links) showed
    their errors in a live <ul>, which vnu refuses: one form with an agenda row in error checks them."""
    secretary = User.objects.create_user(username="vnu-secretary", is_staff=True)
    CouncilStaff.objects.create(user=secretary, council=council, role=StaffRole.SECRETARY)
    client = Client()
    client.force_login(secretary)
    formset = {"agenda-TOTAL_FORMS": "1", "agenda-INITIAL_FORMS": "0", "agenda-MIN_NUM_FORMS": "0"}
    row = {"agenda-0-number": "1", "agenda-0-title": "", "agenda-0-kind": AgendaItemKind.OTHER}
    data = {"kind": MeetingKind.COUNCIL, "title": "Заседание", "date": "2019-05-15", **formset, **row}
    path = reverse("hearings_ws:meeting_add", kwargs={"slug": council.slug})
    _post(rendered, client, "workspace: a meeting's agenda in error", path, data)
    assert 'class="errorlist"' in (rendered.folder / max(rendered.pages)).read_text(), "the agenda row has no error"


def _vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: run scripts/setup.sh --test (it installs default-jre-headless)")
    if not VNU.exists():
        pytest.fail(f"vnu.jar is missing at {VNU}: run scripts/setup.sh --test (it installs vnu-jar with npm)")
    result = subprocess.run(  # noqa: S603 - Debian's Java and the pinned vnu.jar on files this test wrote
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stdout)["messages"]


def test_every_public_page_is_valid_html_in_every_language(world, tmp_path):  # noqa: F811 (the fixture)
    rendered = _render_everything(world, tmp_path)
    assert MUST_CHECK <= rendered.labels, f"not checked: {sorted(MUST_CHECK - rendered.labels)}"
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)

    messages = _vnu([canary, *sorted(tmp_path.glob("page-*.html"))])

    by_file: dict[str, list[str]] = {}
    for message in messages:
        name = Path(unquote(message.get("url", ""))).name
        by_file.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    assert [
        page for name, page in rendered.pages.items() if not LANG.search((tmp_path / name).read_bytes()[:2000])
    ] == [], "pages without the language of their text (<html lang>), which screen readers need to pronounce it"
    assert any("action" in text for text in by_file.pop("canary.html", [])), "vnu did not report the canary's fault"
    errors = {rendered.pages.get(name, name): found for name, found in sorted(by_file.items())}
    assert errors == {}, f"{len(errors)} of {len(rendered.pages)} pages are invalid:\n" + "\n".join(
        f"{page}\n  " + "\n  ".join(found) for page, found in errors.items()
    )
