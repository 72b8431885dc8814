"""The JSON API against its own OpenAPI schema, with schemathesis.

Every operation of ``/api/v1/`` is called with generated data (valid and invalid, a bounded
number of examples, derandomised so every run sends the same requests) as the demo company's
owner, signed in by session with the CSRF token that writes need. Each response must not be a
server error, must have a status code the schema documents, and must match the schema's
content type and body. The organisation in the path is the demo company's for half of the
examples (the others are generated: unknown organisations).

The operations that programs may call with an organisation API token (``TokenAuth`` in their
``security``) run a second time signed in with a write token of the demo company instead of
the session (no cookies, no CSRF header).

The requests go through Django's whole WSGI stack in this process (middleware, CSRF), inside
the test's transaction; each example runs in a savepoint that is rolled back afterwards.
An operation added to the API later is covered without editing this file.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from startklar import demo
from startklar.api import api
from startklar.organisations import services as organisation_services
from startklar.organisations.models import Membership, Role, TokenScope
from startklar.organisations.tenancy import Tenant
from startklar.testing import client_for, demo_company

from .dbstate import rolled_back

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",  # valid and invalid data
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "with-security-parameters": False,  # the session comes from the test
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)


def served_schema() -> dict[str, Any]:
    """The schema as ``/api/v1/openapi.json`` serves it (as JSON: status codes are strings)."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = WSGIHandler()


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """The demo company in the path for about half of the examples (chosen by the generated
    value, so the same examples every run)."""
    if path_parameters is None:
        return None
    slug = path_parameters.get("org_slug")
    if isinstance(slug, str) and zlib.crc32(slug.encode()) % 2 == 0:
        path_parameters["org_slug"] = demo.DEMO_SLUG
    return path_parameters


@pytest.fixture(scope="module")
def signed_in(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo company's owner: the session and CSRF cookies and the CSRF header."""
    with django_db_blocker.unblock():
        organisation = demo_company()
        owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
        client = client_for(owner)
        client.get("/o/")  # a page with a form sets the CSRF cookie
        session = client.cookies["sessionid"].value
        token = client.cookies["csrftoken"].value
        membership = Membership.objects.get(organisation=organisation, user=owner)
        _api_token, secret = organisation_services.create_api_token(
            Tenant(organisation, membership), "Schema test", TokenScope.WRITE
        )
        yield {
            "cookies": {"sessionid": session, "csrftoken": token},
            "headers": {"X-CSRFToken": token},
            "token": {"Authorization": f"Bearer {secret}"},
        }
        call_command("flush", interactive=False, verbosity=0)


@contextmanager
def one_connection() -> Iterator[None]:
    """Django closes the database connection around each request it serves, which would end
    the test's transaction; its test client switches that off for each request, and so does
    this for the WSGI calls schemathesis makes."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_the_schema_is_the_one_the_api_serves(signed_in: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.cookies["sessionid"] = signed_in["cookies"]["sessionid"]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == served_schema()
    assert response.json()["paths"], "the API has operations"


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_every_operation_keeps_to_the_schema(case: Any, signed_in: dict[str, Any]) -> None:
    with rolled_back(), one_connection():
        case.call_and_validate(cookies=signed_in["cookies"], headers=signed_in["headers"])


def takes_tokens(context: Any) -> bool:
    """The operation accepts an organisation API token."""
    security = context.operation.definition.raw.get("security") or []
    return any("TokenAuth" in item for item in security)


@schema.include(takes_tokens).parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_every_token_operation_keeps_to_the_schema(case: Any, signed_in: dict[str, Any]) -> None:
    with rolled_back(), one_connection():
        case.call_and_validate(headers=signed_in["token"])
