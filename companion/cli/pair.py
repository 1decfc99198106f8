"""`vetscribe pair`: print a one-time code that the extension exchanges for a token."""

import click

from companion.cli.options import data_dir_option, resolve_data_dir
from companion.config import Settings
from companion.store.errors import SchemaTooNew


def register(group: click.Group) -> None:
    """Add `pair` to the CLI."""
    group.add_command(pair)


@click.command()
@click.option("--role", type=click.Choice(["clinician", "admin"]), default="clinician", show_default=True,
              help="What the paired extension may do; admin can also install and roll back selector maps.")
@data_dir_option
def pair(role: str, data_dir) -> None:
    """Print a one-time pairing code (valid for 10 minutes).

    Works while `vetscribe serve` is running: the code is written to the same data dir. Type it into the
    extension's options page; the extension receives a token, and the code cannot be used again.
    """
    from companion.store import Database, pairing

    settings = Settings(data_dir=resolve_data_dir(data_dir))
    try:
        db = Database(settings.db_path)
    except SchemaTooNew as exc:
        raise click.ClickException(exc.detail) from None
    try:
        code, expires = pairing.issue_code(db, role, settings.pairing_code_ttl_s)
    finally:
        db.close()
    click.echo(f"Pairing code ({role}): {code}")
    click.echo(f"Valid once, until {expires} (UTC). Enter it in the extension's options page.")
