"""Body size limit: refuse a declared Content-Length over the limit before reading anything.

Chunked bodies are capped by the application's client_max_size, which raises 413 while reading.
"""

from aiohttp import web

from companion.api.errors import ApiError
from companion.api.keys import SETTINGS


@web.middleware
async def body_size_middleware(request: web.Request, handler):
    """413 payload_too_large when Content-Length exceeds settings.max_body_bytes."""
    limit = request.app[SETTINGS].max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "payload_too_large", f"the body is larger than the {limit}-byte limit")
    return await handler(request)
