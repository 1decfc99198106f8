"""Property-based API check: schemathesis against the live server's generated /v1/openapi.json with a valid
admin token; no response may be a 5xx or break the document's own schema (status, content type, body)."""

import importlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from companion.api.routes import MODULES, all_routes
from companion_live import LiveServer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Routes with a raw (non-JSON) body, such as dictation audio, are fuzzed with opaque bytes.
for _media in sorted({media for route in all_routes() for media in route.raw_body}):
    schemathesis.serializer.alias(_media, "application/octet-stream")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("fuzz") / "data").start()
    server.token = server.pair("admin")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api_schema(live):
    headers = {"Authorization": f"Bearer {live.token}"}
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{live.port}/v1/openapi.json", headers=headers)


def foundation_paths() -> list[str]:
    """The docs/api.md routes (other areas fuzz their own routes in their own suites)."""
    modules = [importlib.import_module(f"companion.api.routes.{name}") for name in MODULES if name != "pilot"]
    return sorted({route.path for module in modules for route in module.ROUTES})


schema = schemathesis.pytest.from_fixture("api_schema").include(path=foundation_paths())


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_own_schema(case, live):
    case.call_and_validate(base_url=f"http://127.0.0.1:{live.port}",
                           headers={"Authorization": f"Bearer {live.token}"}, checks=CHECKS)
