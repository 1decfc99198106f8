"""Domain errors raised by the store; the API maps each `code` to an HTTP status in one middleware."""


class StoreError(Exception):
    """Base of every domain error: carries a stable machine-readable code and a human detail."""

    code = "store_error"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotFound(StoreError):
    """The addressed record does not exist."""

    code = "not_found"


class IllegalTransition(StoreError):
    """The encounter's state does not allow this action."""

    code = "illegal_transition"


class Conflict(StoreError):
    """The request contradicts what is stored (stale revision, reused key with other content...)."""

    code = "conflict"


class InvalidInput(StoreError):
    """Input that passed the shape check but is not acceptable (e.g. a selector map that fails its schema)."""

    code = "validation_error"

    def __init__(self, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.errors = errors or []


class PairingRefused(StoreError):
    """The one-time code is unknown, used or expired."""

    code = "pairing_refused"


class SchemaTooNew(StoreError):
    """The database was written by a newer program than this one."""

    code = "schema_too_new"
