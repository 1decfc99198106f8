"""The one place where errors become application/problem+json responses with a stable code."""

import json

from aiohttp import web

from companion.api.errors import ApiError
from companion.logs import log_event, safe_traceback
from companion.store.errors import (Conflict, IllegalTransition, InvalidInput, NotFound, PairingRefused, StorageFull,
                                    StorageUnavailable, StoreError, storage_fault)

PROBLEM_CONTENT_TYPE = "application/problem+json"
DOMAIN_STATUS = {
    NotFound: 404,
    IllegalTransition: 409,
    Conflict: 409,
    InvalidInput: 422,
    PairingRefused: 401,
    StorageFull: 503,
    StorageUnavailable: 503,
}
STORAGE_RETRY_AFTER_S = "30"
HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "validation_error",
    429: "rate_limited", 500: "internal_error", 501: "not_implemented", 503: "storage_unavailable",
}
TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
    409: "Conflict", 413: "Payload too large", 415: "Unsupported media type", 422: "Unprocessable content",
    429: "Too many requests", 500: "Internal server error", 501: "Not implemented", 503: "Service unavailable",
}


def problem_response(request: web.Request, status: int, code: str, detail: str, *, errors: list | None = None,
                     headers: dict | None = None) -> web.Response:
    """Render a problem+json response and remember its code for the request log."""
    request["problem_code"] = code
    body = {"type": f"urn:vetscribe:problem:{code}", "title": TITLES.get(status, "Error"), "status": status,
            "code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = web.Response(status=status, text=json.dumps(body), headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _http_exception(request: web.Request, exc: web.HTTPException) -> web.StreamResponse:
    if exc.status < 400:
        raise exc
    status = exc.status
    headers = {k: v for k, v in exc.headers.items() if k.lower() in ("allow", "retry-after")}
    detail = {404: "no such route", 405: f"method {request.method} is not allowed here",
              413: "the request body is too large"}.get(status, exc.reason)
    return problem_response(request, status, HTTP_CODES.get(status, "http_error"), detail, headers=headers)


def _store_error(request: web.Request, exc: StoreError) -> web.Response:
    status = next((s for cls, s in DOMAIN_STATUS.items() if isinstance(exc, cls)), 500)
    errors = getattr(exc, "errors", None) or None
    headers = {"Retry-After": STORAGE_RETRY_AFTER_S} if status == 503 else None
    return problem_response(request, status, exc.code, exc.detail, errors=errors, headers=headers)


@web.middleware
async def errors_middleware(request: web.Request, handler):
    """Map ApiError, domain StoreErrors, aiohttp HTTP exceptions and anything unexpected to problem+json."""
    try:
        return await handler(request)
    except ApiError as exc:
        return problem_response(request, exc.status, exc.code, exc.detail, errors=exc.errors, headers=exc.headers)
    except StoreError as exc:
        return _store_error(request, exc)
    except web.HTTPException as exc:
        return _http_exception(request, exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence; never leak internals or patient data
        fault = storage_fault(exc)  # a disk fault outside the writer (read path, compaction): still a clear 503
        if fault is not None:
            log_event("storage_fault", level=30, request_id=request.get("request_id"), code=fault.code,
                      error_type=type(exc).__name__, where=safe_traceback(exc))
            return _store_error(request, fault)
        log_event("unhandled_error", level=40, request_id=request.get("request_id"),
                  error_type=type(exc).__name__, where=safe_traceback(exc))
        return problem_response(request, 500, "internal_error",
                                f"unexpected error; see the companion log (request id {request.get('request_id')})")
