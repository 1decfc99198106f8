"""Start-up check of the database file: a damaged file is refused before anything is served or written to it."""

import sqlite3
from pathlib import Path

from companion.store.errors import StoreError

OPERATIONS_GUIDE = "docs/operations.md#a-damaged-database"
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


class DatabaseDamaged(StoreError):
    """The SQLite file fails SQLite's own checks: serving from it could lose or misreport clinical records."""

    code = "database_damaged"

    def __init__(self, path: Path, problem: str):
        super().__init__(recovery_message(path, problem))
        self.path, self.problem = path, problem


def recovery_message(path: Path, problem: str) -> str:
    """What went wrong with which file, and the documented way back."""
    data_dir = Path(path).parent
    return (
        f"the companion database {path} is damaged ({problem}); vetscribe will not serve from it.\n"
        f"Recover (details: {OPERATIONS_GUIDE}):\n"
        f"  1. restore the newest good backup (backups are in {data_dir / 'backups'} unless you chose another place):\n"
        f"       vetscribe backup verify BACKUP_FILE\n"
        f"       vetscribe backup restore BACKUP_FILE --data-dir {data_dir} --yes\n"
        f"     (the damaged file is kept beside it as {Path(path).name}.before-restore-<time>)\n"
        f"  2. no backup? salvage what SQLite can still read into a new file and inspect it:\n"
        f"       sqlite3 {path} .recover | sqlite3 {data_dir / 'salvaged.sqlite3'}"
    )


def is_damage(exc: BaseException) -> bool:
    """True when SQLite says the file itself is corrupt or not a database."""
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def check_file(path: Path) -> None:
    """Raise DatabaseDamaged unless the file (if it exists) opens and passes PRAGMA quick_check."""
    path = Path(path)
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:  # e.g. "file is not a database" for a damaged header
        if not is_damage(exc):
            raise  # unreadable for another reason (read-only dir, locked, I/O): not the file's fault
        raise DatabaseDamaged(path, str(exc)) from None
    if rows != ["ok"]:
        raise DatabaseDamaged(path, "; ".join(rows)[:300])
