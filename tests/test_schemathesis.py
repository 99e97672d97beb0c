"""Property tests of the served OpenAPI schema (schemathesis, through WSGI: no server).

Every operation is called with generated input, as an anonymous reader and as an editor with
a token; no answer may be a 5xx, and every answer must match the schema: status code,
content type and body. Bounded (25 examples per operation) so that `make test` stays fast.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from newsroom.models import ApiToken
from newsroom.wsgi import application

pytestmark = pytest.mark.schemathesis

# The coverage phase enumerates hundreds of boundary cases per operation (minutes); the
# fuzzing phase, positive and negative input, bounded by max_examples, keeps `make test` fast.
# SCHEMATHESIS_COVERAGE=1 turns the coverage phase on for a deep run.
DEEP = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"
CONFIG = schemathesis.Config.from_str(f"[phases.coverage]\nenabled = {'true' if DEEP else 'false'}\n")
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
BOUNDED = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go through WSGI, whose request signals close the database connection at the end
    of each request; inside the test's transaction (PostgreSQL) that would break the test.
    Django's own test client disconnects them in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@BOUNDED
def test_anonymous_calls_conform_to_the_schema(case, published_digest):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_editor_calls_conform_to_the_schema(case, published_digest, reviewer2):
    # reviewer2 is an editor who can also approve (and did not propose the fixture's verdict).
    # A fresh token per example: an example may revoke its own (DELETE /auth/token/).
    _, key = ApiToken.objects.issue(reviewer2)
    case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)
