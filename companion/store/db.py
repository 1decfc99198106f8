"""The one SQLite connection: durable pragmas, explicit transactions and numbered SQL migrations."""

import itertools
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from companion.store.errors import SchemaTooNew

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utc_now() -> str:
    """Current UTC time as an ISO-8601 string with milliseconds, the store's one timestamp format."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def known_migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every shipped migration, in order."""
    found = []
    for entry in resources.files("companion.store.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise RuntimeError("two migrations share a number; renumber one of them")
    return found


def split_statements(sql: str) -> list[str]:
    """Split a migration into complete statements (trigger bodies with inner semicolons stay whole)."""
    statements, pending = [], ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not all(l.strip().startswith("--") or not l.strip() for l in pending.splitlines()):
        raise ValueError("migration ends with an incomplete statement")
    return statements


class Database:
    """Owns the connections: one writer (every write goes through `transaction()`, the one write path) and one
    read-only reader, so reads use WAL snapshots and never wait behind a write's fsync."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # patient data: this OS user only
        self._lock = threading.RLock()
        self._read_lock = threading.RLock()
        self._read_conn: sqlite3.Connection | None = None
        self._local = threading.local()  # marks the writer thread while it runs a group-commit batch
        self._savepoints = itertools.count(1)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10.0)
        self.conn.row_factory = sqlite3.Row
        # WAL lets `vetscribe pair` write while `serve` runs; synchronous=FULL fsyncs every commit so an
        # acknowledged write survives a crash or power loss.
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self.schema_version = self._migrate()

    def close(self) -> None:
        """Close both connections (the writer last, which checkpoints the WAL)."""
        with self._read_lock:
            if self._read_conn is not None:
                self._read_conn.close()
                self._read_conn = None
        with self._lock:
            self.conn.close()

    def _in_batch(self) -> bool:
        return getattr(self._local, "batch", False)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception: a failed request writes nothing.

        Inside a group-commit batch it is a SAVEPOINT instead, with the same all-or-nothing effect.
        """
        if self._in_batch():
            with self._savepoint():
                yield self.conn
            return
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self._quietly("ROLLBACK")  # also after a failed COMMIT (disk full): nothing stays half-written
                raise

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"sp{next(self._savepoints)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # After a disk-full or I/O error SQLite may already have rolled the whole transaction back, and then
            # the savepoint is gone: the original error is the one to report.
            self._quietly(f"ROLLBACK TO {name}", f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def _quietly(self, *statements: str) -> None:
        """Undo statements for an error path: skipped when no transaction is left, never masking the error."""
        for statement in statements:
            if not self.conn.in_transaction:
                return
            try:
                self.conn.execute(statement)
            except sqlite3.Error:
                return

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for several jobs (group commit): one fsync for all of them. Writer thread only."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            self._local.batch = True
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                self._quietly("ROLLBACK")
                raise
            finally:
                self._local.batch = False

    def run_in_batch(self, fn, *args, **kwargs) -> tuple[bool, object]:
        """Run one job inside the current batch under its own savepoint: (True, result) or (False, exception)."""
        try:
            with self._savepoint():
                return True, fn(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed back to the job's caller
            return False, exc

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot on the read-only connection (sees every committed write).

        Inside a batch (writer thread) it reads through the writer, so a job sees its own uncommitted writes.
        """
        if self._in_batch():
            yield self.conn
            return
        with self._read_lock:
            conn = self._reader()
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def _reader(self) -> sqlite3.Connection:
        if self._read_conn is None:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=10.0)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=10000")
            self._read_conn = conn
        return self._read_conn

    def _applied(self) -> set[int]:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        return {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations")}

    def _migrate(self) -> int:
        migrations = known_migrations()
        newest_known = migrations[-1][0] if migrations else 0
        with self.transaction() as conn:
            applied = self._applied()
            if applied and max(applied) > newest_known:
                raise SchemaTooNew(
                    f"The data in {self.path} uses schema version {max(applied)}, but this vetscribe only knows "
                    f"up to {newest_known}. Upgrade vetscribe (pip install -U vetscribe); the data was not touched."
                )
            for number, name, sql in migrations:
                if number in applied:
                    continue
                for statement in split_statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (number, name, utc_now()),
                )
        return newest_known
