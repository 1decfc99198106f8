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
