"""Property-based tests of every operation in the OpenAPI schema (schemathesis): whatever the parameters, the
API answers without a server error (no 5xx is the contract; 4xx for nonsense is fine), and a documented answer
has the documented shape (schemathesis' response-schema check). Status codes the schema does not list (a 404 for
an unknown id, a 400 for a bad filter) are not checked.

Each operation gets a bounded number of generated requests (`max_examples`). The POST of an appeal is included:
the rate limit is cleared before each request, so that a 429 does not hide what the endpoint does with the
data; its rows stay inside the test's transaction.

The schema is generated in-process when the module is collected (the same generator as /api/schema/, which
`test_schema.py` checks), and each request goes to Django's WSGI application in-process.
(schemathesis' lazy `from_fixture` loader does not run under pytest 9: it sets a private attribute of the test
node that pytest 9 no longer has.)
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

MAX_EXAMPLES = 20


def _raw_schema() -> dict:
    generator = SchemaGenerator()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_raw_schema())
APP = get_wsgi_application()


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction; Django's test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the tree
    derandomize=True,  # the same requests on every run: a failure reproduces
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(world, _keep_the_test_connection, case):
    cache.clear()
    # The WSGI transport hands back the body as sent: ask for it uncompressed, as the pages' gzip
    # (core.middleware.TextGZipMiddleware) would otherwise answer a client that accepts gzip.
    response = case.call(app=APP, headers={"Accept-Encoding": "identity"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
