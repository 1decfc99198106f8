"""`vetscribe backup`: consistent copies of the companion database, their verification, and restore."""

import sqlite3
import time
from pathlib import Path

import click

from companion.cli.options import data_dir_option, resolve_data_dir
from companion.config import Settings
from companion.store.errors import SchemaTooNew, StorageFull, storage_fault


def register(group: click.Group) -> None:
    """Add `backup` and its subcommands to the CLI."""
    group.add_command(backup)


@click.group()
def backup() -> None:
    """Back up, verify and restore the companion's database."""


@backup.command()
@data_dir_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup file to write [default: DATA_DIR/backups/companion-<UTC time>.sqlite3].")
def create(data_dir, out: Path | None) -> None:
    """Write a consistent copy of the database (safe while `vetscribe serve` runs) and verify it."""
    from companion.store import backup as store_backup

    settings = Settings(data_dir=resolve_data_dir(data_dir))
    if not settings.db_path.exists():
        raise click.ClickException(f"no companion database in {settings.data_dir}")
    out = out or settings.data_dir / "backups" / f"companion-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.sqlite3"
    try:
        store_backup.create(settings.db_path, out)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    except (sqlite3.Error, OSError) as exc:
        fault = storage_fault(exc)
        reason = "the disk is full" if isinstance(fault, StorageFull) else str(exc)
        raise click.ClickException(f"could not write the backup {out}: {reason}; nothing was kept") from None
    check = store_backup.verify(out)
    click.echo(f"wrote {out}\n{check.message}")
    if not check.ok:
        raise SystemExit(1)


@backup.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def verify(file: Path) -> None:
    """Check a backup file: SQLite integrity and the audit hash chain. Exits 1 if it is damaged."""
    from companion.store import backup as store_backup

    try:
        check = store_backup.verify(file)
    except SchemaTooNew as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(check.message, err=not check.ok)
    if not check.ok:
        raise SystemExit(1)


@backup.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@data_dir_option
@click.option("--yes", is_flag=True, help="Confirm replacing the current database.")
def restore(file: Path, data_dir, yes: bool) -> None:
    """Replace the database with a verified backup. Stop `vetscribe serve` first."""
    from companion.store import backup as store_backup

    settings = Settings(data_dir=resolve_data_dir(data_dir))
    if settings.db_path.exists() and not yes:
        raise click.ClickException(f"this replaces {settings.db_path}; stop `vetscribe serve` and pass --yes")
    try:
        kept = store_backup.restore(file, settings.db_path)
    except (ValueError, SchemaTooNew) as exc:
        raise click.ClickException(getattr(exc, "detail", str(exc))) from None
    click.echo(f"restored {file} into {settings.db_path}")
    if kept is not None:
        click.echo(f"the previous database was kept as {kept}")
