"""Bearer-token authentication and roles, driven by each route's declared role."""

import hmac

from aiohttp import web

from companion.api.errors import ApiError
from companion.api.keys import TOKEN_CACHE
from companion.api.spec import run_db
from companion.store import pairing

ROLE_RANK = {"clinician": 1, "admin": 2}


def _bearer(request: web.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not hmac.compare_digest(scheme.lower().encode(), b"bearer") or not token.strip():
        return None
    return token.strip()


async def _lookup(app: web.Application, token: str) -> tuple[str, str] | None:
    """Token → (token_id, role), remembering hits: tokens are never re-issued and have no revoke route yet.

    When revocation lands it must clear TOKEN_CACHE (or this cache must get a short TTL).
    """
    cache = app[TOKEN_CACHE]
    found = cache.get(token)
    if found is None:
        found = await run_db(app, pairing.lookup_token, token, read_only=True)
        if found is not None and len(cache) < 10_000:
            cache[token] = found
    return found


@web.middleware
async def auth_middleware(request: web.Request, handler):
    """401 without a valid token, 403 when the token's role is below the route's."""
    spec = getattr(request.match_info.handler, "route_spec", None)
    if spec is None or spec.role is None:
        return await handler(request)
    token = _bearer(request)
    found = await _lookup(request.app, token) if token else None
    if found is None:
        raise ApiError(401, "unauthenticated", "send a valid pairing token as 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})
    request["token_id"], request["role"] = found
    if ROLE_RANK[found[1]] < ROLE_RANK[spec.role]:
        raise ApiError(403, "forbidden", f"this route needs the {spec.role} role")
    return await handler(request)
