"""The `vetscribe` command: one click group; each area registers its subcommands from its own module.

Add a subcommand by writing `companion/cli/<area>.py` exposing `register(group)` and listing it in AREAS.
"""

import importlib

import click

from companion import __version__

# One module per area, in the order `vetscribe --help` should list them. A missing module is skipped so that
# areas can land independently.
AREAS = ["serve", "pair", "audit", "note", "selectors", "pilot", "backup"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="vetscribe")
def main() -> None:
    """Vetscribe: a local companion for the veterinary AI scribe browser extension.

    Start the service with `vetscribe serve`, then pair the extension with the code from `vetscribe pair`.
    """


def _register_areas() -> None:
    for name in AREAS:
        try:
            module = importlib.import_module(f"companion.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"companion.cli.{name}":
                continue
            raise
        module.register(main)


_register_areas()
