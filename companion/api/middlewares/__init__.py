"""Middlewares, one concern each, in the order they wrap a request (outermost first)."""

from companion.api.middlewares.auth import auth_middleware
from companion.api.middlewares.body_size import body_size_middleware
from companion.api.middlewares.errors import errors_middleware
from companion.api.middlewares.host import host_middleware
from companion.api.middlewares.origin import origin_middleware
from companion.api.middlewares.request_log import request_log_middleware

MIDDLEWARES = [
    request_log_middleware,  # sees every final status, including refusals below
    errors_middleware,  # turns any exception into problem+json
    host_middleware,  # DNS-rebinding defence before anything else is looked at
    origin_middleware,  # web pages refused; CORS only for extension origins
    body_size_middleware,
    auth_middleware,
]
