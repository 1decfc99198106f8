"""Request logging: one JSON line per request with id, route template, status and timing — no paths or bodies."""

import itertools
import secrets
import time

from aiohttp import web

from companion.logs import log_event


def route_label(request: web.Request) -> str:
    """The matched route template (e.g. /v1/encounters/{id}); never the concrete path or query."""
    route = request.match_info.route
    resource = getattr(route, "resource", None)
    return resource.canonical if resource is not None else "unmatched"


# A random per-process prefix plus a counter: unique across restarts, and cheaper than urandom per request.
_PREFIX = secrets.token_hex(4)
_COUNTER = itertools.count(1)


@web.middleware
async def request_log_middleware(request: web.Request, handler):
    """Assign a request id, time the request, log the outcome."""
    request_id = f"{_PREFIX}-{next(_COUNTER):x}"
    request["request_id"] = request_id
    started = time.perf_counter()
    response = await handler(request)
    duration_ms = round((time.perf_counter() - started) * 1000, 2)
    response.headers["X-Request-Id"] = request_id
    log_event("request", request_id=request_id, method=request.method, route=route_label(request),
              status=response.status, duration_ms=duration_ms, code=request.get("problem_code"),
              token_id=request.get("token_id"))
    return response
