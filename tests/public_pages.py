"""Every public page, as the checkers of the whole site (tests/portal/test_html_validity.py, the Nu HTML Checker;
tests/browser/test_accessibility.py, axe-core) open it: the public patterns of the URL map that the personal-data
walk finds (tests/test_privacy.py), filled from its planted records, plus the appeal's tracking page (left out of
that walk by design) and the 404 page. A new public address is in these checks as soon as it is in the URL map.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from appeals.models import Appeal, AppealStatus
from appeals.notifications import tracking_path
from tests.portal.conftest import fill_council
from tests.test_privacy import PATTERNS, World, _fill

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Query strings that change what a page shows (a year's figures, a search's results); others ignore them.
QUERIES: dict[str, list[dict[str, str]]] = {
    "reports:search": [{"q": "зоопарк"}, {"q": "нет такого слова"}],
    "reports:councils": [{"q": "Алматы"}],
    "reports:state_body": [{"year": "2019"}, {"status": "sent"}],
    "reports:recommendations": [{"year": "2019"}, {"status": "answered"}],
    "alerts:subscribe": [{"council": "almaty"}, {"state_body": "almaty-akimat"}],
    "reports:experts": [{"q": "эколог"}, {"q": "нет такого слова"}],
    "reports:expert_search": [{"q": "эколог"}, {"area": "ecology", "language": "kk"}],
}
YEAR_PAGES = {"reports:council", "reports:composition", "reports:meetings", "reports:hearings", "reports:monitoring"}
# The subscription page needs a council or a state body to subscribe to: without one it is a 404.
FIRST_QUERY = {"alerts:subscribe": {"council": "almaty"}}


def fill(planted: World) -> Appeal:
    """Adds the portal tests' fuller council (members, meetings, monitoring, hearings, reviews, recommendations)
    to the planted records; returns the planted appeal, answered, whose tracking page shows the most."""
    fill_council(planted.council)
    appeal = planted.objects["recommendation"].source
    appeal.status = AppealStatus.ANSWERED
    appeal.save(update_fields=["status"])
    return appeal


def public_pages(
    planted: World, appeal: Appeal, languages: list[str] = LANGUAGES, *, variants: bool = True
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(label, path, query) for every public address, HTML or not (the API's JSON and files included: a checker
    skips what is not HTML), in each of `languages`; `variants` adds the query strings that change a page."""
    for entry in PATTERNS:
        kwargs = _fill(planted, entry)
        queries = [FIRST_QUERY.get(entry.name, {})]
        if variants:
            queries += QUERIES.get(entry.name, [{"year": "2019"}] if entry.name in YEAR_PAGES else [])
        for language in languages if entry.localized else [settings.LANGUAGE_CODE]:
            with translation.override(language):
                path = reverse(entry.name, kwargs=kwargs)
            for query in queries:
                yield entry.name, path, query
    for language in languages:
        yield "appeals:track", tracking_path(appeal, language), {}
        yield "404", f"/{language}/no-such-page/", {}
