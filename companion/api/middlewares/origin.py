"""Origin refusal and CORS: only browser extensions (or no Origin, e.g. the CLI) may call the API."""

from aiohttp import web

from companion.api.errors import ApiError
from companion.config import LOOPBACK_HOSTS

EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://", "safari-web-extension://")
ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type"


def is_extension_origin(origin: str) -> bool:
    """True for an extension's origin such as chrome-extension://<id>."""
    return origin.startswith(EXTENSION_SCHEMES) and len(origin) > origin.index("://") + 3


def is_own_origin(request: web.Request, origin: str) -> bool:
    """True for the companion's own pages (the /admin dashboard): http, a loopback name, the port we listen on.

    Safe because the host middleware already pinned Host to this server, and only the companion serves pages here.
    """
    scheme, _, rest = origin.partition("://")
    name, _, port = rest.rpartition(":")
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return (scheme == "http" and name.strip("[]").lower() in LOOPBACK_HOSTS
            and sockname is not None and port == str(sockname[1]))


@web.middleware
async def origin_middleware(request: web.Request, handler):
    """Refuse web-page origins; answer preflights for extensions; mark extension requests for CORS headers."""
    origin = request.headers.get("Origin")
    if origin is not None and is_own_origin(request, origin):
        return await handler(request)  # same-origin: no CORS headers needed
    if origin is not None and not is_extension_origin(origin):
        raise ApiError(403, "origin_forbidden", "requests from web pages are refused; use the vetscribe extension")
    if origin is not None:
        request["cors_origin"] = origin
    if request.method == "OPTIONS" and origin is not None:
        return web.Response(status=204)
    return await handler(request)


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare hook: CORS headers on every response to an extension origin, errors included."""
    origin = request.get("cors_origin")
    if origin is None:
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
