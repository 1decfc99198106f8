"""Health, pairing, identity and the OpenAPI document."""

from pydantic import RootModel

from companion import __version__
from companion.api.errors import ApiError
from companion.api.keys import DB, OPENAPI_CACHE, PAIRING_GUARD, ROUTE_LIST
from companion.api.models.common import JsonObject
from companion.api.models.system import Health, PairRequest, PairResponse, WhoAmI
from companion.api.spec import Call, Route
from companion.store import pairing
from companion.store.errors import PairingRefused



async def health(call: Call) -> Health:
    """Liveness, program version and schema version."""
    return Health(status="ok", version=__version__, schema_version=call.request.app[DB].schema_version)


async def pair(call: Call) -> PairResponse:
    """Exchange a one-time pairing code for a bearer token; wrong codes are rate-limited."""
    guard = call.request.app[PAIRING_GUARD]
    wait = guard.retry_after()
    if wait:
        raise ApiError(429, "rate_limited", f"too many wrong pairing codes; try again in {wait} s",
                       headers={"Retry-After": str(wait)})
    try:
        token, token_id, role = await call.db(pairing.redeem_code, call.body.code)
    except PairingRefused:
        guard.record_failure()
        raise
    return PairResponse(token=token, role=role, token_id=token_id)


async def whoami(call: Call) -> WhoAmI:
    """The caller's role and token id."""
    return WhoAmI(role=call.role, token_id=call.token_id)


class OpenApiDocument(RootModel[JsonObject]):
    """The OpenAPI 3.1 document of this API."""


async def openapi(call: Call) -> OpenApiDocument:
    """This API's OpenAPI 3.1 document, generated from the route declarations and models."""
    app = call.request.app
    cache = app[OPENAPI_CACHE]
    if "doc" not in cache:  # built on first use: keeps it off the start-up path
        from companion.api.openapi import build_openapi

        cache["doc"] = build_openapi(app[ROUTE_LIST])
    return OpenApiDocument(cache["doc"])


ROUTES = [
    Route("GET", "/v1/health", health, "Health check", role=None, response=Health, tags=["system"]),
    Route("POST", "/v1/pair", pair, "Pair with a one-time code", role=None, body=PairRequest,
          response=PairResponse, tags=["system"]),
    Route("GET", "/v1/whoami", whoami, "Who am I", response=WhoAmI, tags=["system"]),
    Route("GET", "/v1/openapi.json", openapi, "OpenAPI document", response=OpenApiDocument,
          tags=["system"]),
]
