"""Property-based check of the pilot routes: schemathesis against a live `vetscribe serve` holding the generated
pilot, with an admin token; no 5xx and no response that breaks the generated OpenAPI document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from companion.api.routes.pilot import ROUTES
from tests.companion.companion_live import LiveServer
from tests.pilot.conftest import copy_pilot

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def live(seeded_pilot, tmp_path_factory):
    data_dir, truth = copy_pilot(seeded_pilot, tmp_path_factory.mktemp("pilot-fuzz"))
    server = LiveServer(data_dir).start()
    server.token = truth.admin_token
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api_schema(live):
    headers = {"Authorization": f"Bearer {live.token}"}
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{live.port}/v1/openapi.json", headers=headers)


schema = schemathesis.pytest.from_fixture("api_schema").include(path=sorted({r.path for r in ROUTES}))


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_pilot_routes_conform_to_the_schema(case, live):
    case.call_and_validate(base_url=f"http://127.0.0.1:{live.port}",
                           headers={"Authorization": f"Bearer {live.token}"}, checks=CHECKS)
