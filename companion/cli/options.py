"""Options shared by several subcommands."""

from pathlib import Path

import click

from companion.config import default_data_dir


def data_dir_option(func):
    """--data-dir, defaulting to the platform's user data dir (or $VETSCRIBE_DATA_DIR)."""
    return click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
        help=f"Where the companion keeps its database and logs [default: {default_data_dir()}].",
    )(func)


def resolve_data_dir(value: Path | None) -> Path:
    """The chosen data dir, or the default."""
    return value if value is not None else default_data_dir()


def open_store(data_dir: Path | None, *, create: bool = False):
    """The companion's store in the data dir (the file `vetscribe serve` uses); a clear message, not a traceback,
    when there is none yet (unless `create`) or when it was written by a newer vetscribe."""
    from companion.config import Settings
    from companion.store import Database
    from companion.store.errors import SchemaTooNew

    settings = Settings(data_dir=resolve_data_dir(data_dir))
    if not create and not settings.db_path.exists():
        raise click.ClickException(f"no companion database in {settings.data_dir} (start `vetscribe serve` once)")
    try:
        return Database(settings.db_path)
    except SchemaTooNew as exc:
        raise click.ClickException(exc.detail) from None
