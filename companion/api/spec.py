"""Route declarations: each route names its body, query and response models and the role it needs.

The wrapper turns a declaration into an aiohttp handler that validates input with pydantic and serialises the
response model, so every route behaves the same and the OpenAPI document can be generated from the same list.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from companion.api.errors import ApiError
from companion.api.keys import DB, DB_WRITER


@dataclass
class Call:
    """What a route handler gets: the request, its validated body and query, path params and the caller."""

    request: web.Request
    body: Any
    query: Any
    params: dict[str, str]
    token_id: str | None
    role: str | None

    @property
    def actor(self) -> str:
        """Who the audit log should name: the opaque token id."""
        return self.token_id or "anonymous"

    async def db(self, fn: Callable, *args, **kwargs) -> Any:
        """Run a store function that writes on the single writer thread."""
        return await run_db(self.request.app, fn, *args, **kwargs)

    async def read(self, fn: Callable, *args, **kwargs) -> Any:
        """Run a read-only store function on the read connection (never queued behind writes)."""
        return await run_db(self.request.app, fn, *args, read_only=True, **kwargs)


async def run_db(app: web.Application, fn: Callable, *args, read_only: bool = False, **kwargs) -> Any:
    """Run `fn(db, *args, **kwargs)`: writes on the group-commit writer thread (fsync never blocks the loop);
    reads inline on the read-only WAL connection, which never waits for a writer — short indexed queries
    cost less than the thread hop they would otherwise need."""
    if read_only:
        return fn(app[DB], *args, **kwargs)
    return await asyncio.wrap_future(app[DB_WRITER].submit(fn, *args, **kwargs))


@dataclass
class Route:
    """One API operation."""

    method: str
    path: str
    handler: Callable[[Call], Awaitable[BaseModel | None]]
    summary: str
    role: str | None = "clinician"  # None: public; "clinician": any token; "admin": admin token
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    tags: list[str] = field(default_factory=list)
    raw_body: tuple[str, ...] = ()  # media types of a non-JSON body (e.g. audio); the handler gets the bytes

    @property
    def operation_id(self) -> str:
        """Stable operationId for the OpenAPI document."""
        return self.handler.__name__


def validation_problem(exc: ValidationError, prefix: str) -> ApiError:
    """A 422 listing every failing field path (without echoing the input back)."""
    errors = [{"loc": [prefix, *err["loc"]], "msg": err["msg"], "type": err["type"]} for err in exc.errors()]
    return ApiError(422, "validation_error", f"the {prefix} failed validation ({len(errors)} problem(s))",
                    errors=errors)


async def read_json(request: web.Request) -> Any:
    """The request body as JSON: must be application/json; an empty body counts as {}."""
    raw = await request.read()
    if not raw.strip():
        return {}
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates cannot be stored
    except (ValueError, UnicodeError):
        raise ApiError(400, "invalid_json", "the body is not valid JSON in UTF-8") from None
    except RecursionError:  # the parser's own depth guard; no real request nests this deep
        raise ApiError(400, "invalid_json", "the body's JSON is nested too deeply") from None
    return data


async def read_raw(request: web.Request, media_types: tuple[str, ...]) -> bytes:
    """A non-empty body of one of `media_types` (size already capped by the body-size middleware)."""
    if request.content_type not in media_types:
        raise ApiError(415, "unsupported_media_type", f"send the body as one of: {', '.join(media_types)}")
    raw = await request.read()
    if not raw:
        raise ApiError(422, "validation_error", "the body is empty",
                       errors=[{"loc": ["body"], "msg": "empty body", "type": "value_error"}])
    return raw


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _validate(model: type[BaseModel], data: Any, prefix: str) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc, prefix) from None


def json_response(model: BaseModel, status: int = 200) -> web.Response:
    """Serialise a response model."""
    return web.Response(text=model.model_dump_json(by_alias=True), status=status, content_type="application/json")


def make_handler(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap a declared route into an aiohttp handler."""

    async def handler(request: web.Request) -> web.StreamResponse:
        body = query = None
        if route.query is not None:
            query = _validate(route.query, dict(request.query), "query")
        elif request.query:
            raise ApiError(422, "validation_error", "this route takes no query parameters",
                           errors=[{"loc": ["query", k], "msg": "Extra inputs are not permitted",
                                    "type": "extra_forbidden"} for k in request.query])
        if route.raw_body:
            body = await read_raw(request, route.raw_body)
        elif route.body is not None:
            body = _validate(route.body, await read_json(request), "body")
        elif (await request.read()).strip():
            raise ApiError(422, "validation_error", "this route takes no body")
        call = Call(request, body, query, dict(request.match_info), request.get("token_id"), request.get("role"))
        result = await route.handler(call)
        if result is None:
            return web.Response(status=route.status)
        if isinstance(result, web.StreamResponse):  # a ready-made answer, e.g. a static dashboard file
            return result
        return json_response(result, route.status)

    handler.__name__ = route.operation_id
    handler.route_spec = route  # read by the auth middleware
    return handler
