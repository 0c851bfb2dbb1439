"""Fuzzing of the public API against its own OpenAPI schema (schemathesis, in ``make test``).

The schema is the one drf-spectacular serves at /api/schema/. Every operation is called through the
WSGI application with generated data, valid and invalid, with a municipality's token, and every answer
must be no server error and within the schema: a documented status code, content type, headers and
body; and data that breaks the schema must be refused. Bounded: ``FUZZ_EXAMPLES`` examples per
operation (about half a minute in all).
"""

import json

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from applications.services import api_token_create
from justis.audit import Actor

FUZZ_EXAMPLES = 60


def api_schema():
    """The schema as /api/schema/ serves it (generated without a request or the database)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    schema.app = get_wsgi_application()
    return schema


schema = api_schema()


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI application closes old database connections at each request's start and end; inside the
    test's transaction that would close it. Django's test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(db, amsterdam, desk, settings, wsgi_in_test_transaction):
    # The limits per token and per client would turn most examples into 429s; they have tests of their own.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"municipal_api": "1000000/min"}}
    settings.VERIFY_RATE = "1000000/min"
    settings.API_ANONYMOUS_RATE = "1000000/min"  # the examples without (valid) credentials
    _token, key = api_token_create(municipality=amsterdam, name="fuzz", actor=Actor.system("fuzz"))
    return {"Authorization": f"Token {key}"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_of_the_api_keeps_to_its_schema(case, token_header):
    # Every check of schemathesis but one: a request that fits the schema may still be refused with a
    # 400 for a rule across fields that a schema cannot say (an explanation only with a remark on "yes").
    case.call_and_validate(headers=token_header, excluded_checks=[positive_data_acceptance])


def test_the_fuzzing_covers_every_operation_of_the_schema():
    operations = {f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()}
    assert operations == {
        "POST /api/v1/applications/",
        "GET /api/v1/applications/{reference}/",
        "GET /api/v1/applications/by-municipal-number/{municipal_number}/",
        "GET /api/v1/certificates/verify/{code}/",
    }
