"""Domain errors raised by the store; the API maps each `code` to an HTTP status in one middleware."""

import errno
import sqlite3


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


class StorageFull(StoreError):
    """The data dir's disk is full: the write was rolled back; it can be retried once space is freed."""

    code = "storage_full"


class StorageUnavailable(StoreError):
    """The data dir cannot be written (read-only, I/O error, locked or damaged file): nothing was written."""

    code = "storage_unavailable"


# SQLite primary result codes (the low byte of an extended code) that mean "the disk, not the request".
SQLITE_FULL = 13
SQLITE_UNAVAILABLE = {5: "busy (another process holds the lock)", 6: "locked", 8: "read-only",
                      10: "I/O error", 11: "damaged (corrupt)", 14: "cannot open the file", 26: "not a database"}
OPERATIONS_DOC = "docs/operations.md"


def storage_fault(exc: BaseException) -> StoreError | None:
    """The StorageFull/StorageUnavailable that a low-level error amounts to, or None if it is something else."""
    if isinstance(exc, (StorageFull, StorageUnavailable)):
        return exc
    if isinstance(exc, OSError) and exc.errno is not None:
        return _from_errno(exc.errno)
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(exc, sqlite3.Error) or code is None:
        return None
    primary = code & 0xFF
    if primary == SQLITE_FULL:
        return StorageFull("the disk holding the companion's data is full; nothing was written. Free some space "
                           "and retry (see " + OPERATIONS_DOC + ")")
    if primary in SQLITE_UNAVAILABLE:
        return StorageUnavailable(f"the companion's database cannot be written right now "
                                  f"({SQLITE_UNAVAILABLE[primary]}); nothing was written (see {OPERATIONS_DOC})")
    return None


def _from_errno(number: int) -> StoreError | None:
    if number in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageFull(f"the disk holding the companion's data is full; nothing was written "
                           f"(see {OPERATIONS_DOC})")
    if number in (errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO):
        return StorageUnavailable(f"the companion's data dir cannot be written ({errno.errorcode[number]}); "
                                  f"nothing was written (see {OPERATIONS_DOC})")
    return None
