"""`vetscribe audit`: check the hash-chained audit log, or show its latest rows."""

import click

from companion.cli.options import data_dir_option, open_store


def register(group: click.Group) -> None:
    """Add `audit` and its subcommands to the CLI."""
    group.add_command(audit)


@click.group()
def audit() -> None:
    """Inspect the append-only audit log."""


@audit.command()
@data_dir_option
def verify(data_dir) -> None:
    """Recompute the hash chain; name the first tampered or missing row and exit 1 if there is one."""
    from companion.store import audit as audit_log

    db = open_store(data_dir)
    try:
        report = audit_log.verify(db)
    finally:
        db.close()
    if report.ok:
        click.echo(f"audit log OK: {report.rows} rows, chain intact")
        return
    click.echo(f"audit log BROKEN at row {report.bad_seq}: {report.problem} ({report.rows} rows verified before it)",
               err=True)
    raise SystemExit(1)


@audit.command()
@data_dir_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Rows to show.")
def show(data_dir, limit: int) -> None:
    """Print the newest audit rows (ids and actions only; the log holds no note text)."""
    from companion.store import audit as audit_log

    db = open_store(data_dir)
    try:
        rows = audit_log.recent(db, limit)
    finally:
        db.close()
    for row in rows:
        click.echo(f"{row['seq']:>6}  {row['at']}  {row['actor']:<26} {row['action']:<22} "
                   f"{row['entity_type']}:{row['entity_id']}")
