"""Errors raised by the web layer itself (bad JSON, auth, origin...). Domain errors live in companion.store.errors."""


class ApiError(Exception):
    """An error with an HTTP status and a stable code, rendered as problem+json by the errors middleware."""

    def __init__(self, status: int, code: str, detail: str, *, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.errors = errors
        self.headers = headers or {}
