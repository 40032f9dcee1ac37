"""The served API against the committed openapi.yaml, fuzzed by schemathesis.

A real `uvicorn` on 127.0.0.1 (free port, started and stopped here); schemathesis generates requests from
openapi.yaml (valid and invalid, bounded number of examples per operation) and checks every response: no 5xx,
status codes, content types, headers and bodies as documented.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from live import live_server
from schemathesis.specs.openapi.checks import negative_data_rejection

ROOT = Path(__file__).resolve().parent.parent
MAX_EXAMPLES = 30
API_KEY = "contract-test-key"
# /v1/classify/stream takes NDJSON, documented as a string: send the generated string as the body.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml")


@pytest.fixture(scope="module")
def base_url():
    # API keys on, as in production: the schema declares X-API-Key, and schemathesis checks it is enforced.
    with live_server({"VACTAG_API_KEYS": API_KEY}) as url:
        yield url


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_api_matches_openapi_yaml(case, base_url):
    excluded = []
    if case.path in ("/v1/classify/batch", "/v1/classify/stream"):
        # By design a batch or a stream answers 200 with a per-item / per-line {id, error} for an invalid item
        # (documented in the operations), so "invalid data must be rejected" does not apply to them.
        excluded.append(negative_data_rejection)
    case.call_and_validate(base_url=base_url, headers={"X-API-Key": API_KEY}, excluded_checks=excluded)
