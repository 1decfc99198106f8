"""Consistent online backups of the store (SQLite backup API), their verification, and restore."""

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from companion.store import audit
from companion.store.db import known_migrations


@dataclass
class BackupCheck:
    """Result of checking a backup file."""

    ok: bool
    message: str


def create(db_path: Path, out: Path) -> Path:
    """Copy the live database to `out` page by page (safe while `serve` runs; WAL content included)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        raise FileExistsError(f"{out} already exists")
    source = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    except BaseException:
        target.close()
        out.unlink(missing_ok=True)  # never leave a truncated file that looks like a backup
        raise
    finally:
        target.close()
        source.close()
    return out


def verify(path: Path) -> BackupCheck:
    """SQLite integrity check plus the audit hash chain, on a copy opened read-only."""
    if not Path(path).is_file():
        return BackupCheck(False, f"{path} does not exist")
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            return BackupCheck(False, f"SQLite integrity check failed: {result}")
        newest = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0
        if newest > known_migrations()[-1][0]:
            return BackupCheck(False, f"the backup uses schema {newest}, newer than this vetscribe; upgrade first")
        report = audit.verify_connection(conn)  # read-only: verifying never migrates or alters the copy
    except sqlite3.DatabaseError as exc:
        return BackupCheck(False, f"not a readable companion database: {exc}")
    finally:
        conn.close()
    if not report.ok:
        return BackupCheck(False, f"audit log broken at row {report.bad_seq}: {report.problem}")
    return BackupCheck(True, f"backup OK: integrity ok, audit chain intact ({report.rows} rows)")


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace the database at `db_path` with a verified backup (the server must be stopped).

    The copy is built beside the database and renamed over it, so a failure midway leaves the old file alone;
    the old file and its -wal/-shm are moved aside (never replayed onto the restored copy) and kept for salvage.
    Returns where the old database went, if there was one.
    """
    check = verify(backup)
    if not check.ok:
        raise ValueError(check.message)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staging = db_path.with_name(db_path.name + ".restoring")
    staging.unlink(missing_ok=True)
    source = sqlite3.connect(f"{Path(backup).resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(staging)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    _fsync(staging)
    kept = _move_aside(db_path)
    os.replace(staging, db_path)
    _fsync(db_path.parent)
    return kept


def _move_aside(db_path: Path) -> Path | None:
    if not db_path.exists():
        return None
    kept = db_path.with_name(f"{db_path.name}.before-restore-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
    for suffix in ("", "-wal", "-shm"):
        old = Path(f"{db_path}{suffix}")
        if old.exists():
            os.replace(old, Path(f"{kept}{suffix}"))
    return kept


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
