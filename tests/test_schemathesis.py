"""Property tests of the served OpenAPI schema (schemathesis, through WSGI: no server).

Every operation is called with generated input, positive (what the schema allows) and
negative (what it forbids), as an anonymous reader (every operation that does not need credentials) and as an editor with a token, under every
check schemathesis has (`--checks all`): no answer is a 5xx; every answer matches the schema
(status code, content type, headers, body); input the schema allows is accepted (any 2xx, or
401/403/404/409 when the caller or the state forbids it) and input it forbids is refused with
a 4xx; an unsupported method is a 405, missing credentials are not ignored. Bounded
(SCHEMATHESIS_EXAMPLES per operation: 8 by default, so that `make test` stays fast; CI's
PostgreSQL run asks for 50).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import CHECKS, load_all_checks

from newsroom.models import ApiToken
from newsroom.wsgi import application
from tests.properties import bounded

pytestmark = pytest.mark.schemathesis

# The coverage phase enumerates hundreds of boundary cases per operation (minutes); the
# fuzzing phase, positive and negative input, bounded by max_examples, keeps `make test` fast.
# SCHEMATHESIS_COVERAGE=1 turns the coverage phase on for a deep run.
DEEP = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"
# Writes whose body names other records: the article a quote must be in, the article that
# cites an outside source, the article where a claim first appeared, the claims a digest holds
# (each must exist and have an approved verdict). The fuzzer cannot know which ids exist, so
# for these five a schema-valid body may also be refused with a 400 naming the record; every
# other operation must accept valid input.
REFERENCING_WRITES = [
    "POST /api/v1/claims/",
    "PATCH /api/v1/claims/{id}/",
    "POST /api/v1/claims/{id}/evidence/",
    "POST /api/v1/digests/",
    "PUT /api/v1/digests/{id}/",
]
CONFIG = schemathesis.Config.from_str(
    f"[phases.coverage]\nenabled = {'true' if DEEP else 'false'}\n"
    "[[operations]]\n"
    f"include-name = {REFERENCING_WRITES!r}\n".replace("'", '"')
    + 'checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]\n'
)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)
# Two paging parameters are not generated: `cursor` is opaque (only a `next` or `previous`
# link of the same list is one), and `page` is bounded with `page_size` together (page ×
# page_size reaches item 1,000 at most; deeper pages are read with the cursor in `next`), a
# bound across two parameters that OpenAPI 3.0 cannot state; tests/test_pagination.py covers
# both. `page_size` is generated: its bounds (1 to 200) are declared and enforced.
PAGING = {"cursor", "page"}
for _operations in schema.raw_schema["paths"].values():
    for _operation in _operations.values():
        if isinstance(_operation, dict) and "parameters" in _operation:
            _operation["parameters"] = [
                p for p in _operation["parameters"] if p.get("name") not in PAGING
            ]

load_all_checks()
ALL_CHECKS = CHECKS.get_all()  # what `schemathesis run --checks all` runs
_, BOUNDED = bounded("SCHEMATHESIS_EXAMPLES", 8)


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


def _needs_credentials(ctx):
    """Writes the schema marks as needing a token or a session: an anonymous call is refused
    with a 401 before its body is read, which tests/test_api_write.py checks for each of them
    (fuzzing their bodies anonymously would only build strategies for that refusal)."""
    operation = ctx.operation
    return operation.method.upper() in {"POST", "PUT", "PATCH", "DELETE"} and bool(
        operation.definition.raw.get("security")
    )


@schema.exclude(func=_needs_credentials).parametrize()
@BOUNDED
def test_anonymous_calls_conform_to_the_schema(case, published_digest):
    case.call_and_validate(checks=ALL_CHECKS)


@schema.parametrize()
@BOUNDED
def test_editor_calls_conform_to_the_schema(case, published_digest, reviewer2):
    # reviewer2 is an editor who can also approve (and did not propose the fixture's verdict).
    # A fresh token per example: an example may revoke its own (DELETE /auth/token/).
    _, key = ApiToken.objects.issue(reviewer2)
    case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=ALL_CHECKS)
