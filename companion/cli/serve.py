"""`vetscribe serve`: run the companion API on loopback."""

import sys

import click

from companion.cli.options import data_dir_option, resolve_data_dir
from companion.config import DEFAULT_HOST, DEFAULT_PORT, Settings, is_loopback
from companion.store.errors import SchemaTooNew

EXTENSION_HELP = """\
Next steps:
  1. Pair the extension: in another terminal run
       vetscribe pair{data_dir_arg}
     and type the code into the extension's options page (add --role admin for an admin token).
  2. Load the extension unpacked:
       Chromium/Chrome: open chrome://extensions, turn on Developer mode, "Load unpacked", choose the extension/ folder
       Firefox: open about:debugging#/runtime/this-firefox, "Load Temporary Add-on", choose extension/manifest.json
Stop with Ctrl+C."""


def register(group: click.Group) -> None:
    """Add `serve` to the CLI."""
    group.add_command(serve)


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to bind; loopback unless --allow-remote.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@data_dir_option
@click.option("--allow-remote", is_flag=True, help="Permit binding a non-loopback address (exposes patient data "
              "to the network; only behind a trusted firewall).")
@click.option("--max-body-mb", default=4.0, show_default=True, type=click.FloatRange(0.01, 512),
              help="Largest request body accepted, in MiB.")
def serve(host: str, port: int, data_dir, allow_remote: bool, max_body_mb: float) -> None:
    """Start the companion service the browser extension talks to.

    Listens on 127.0.0.1:8765 by default and keeps everything in one SQLite file in the data dir. Shuts down
    gracefully on Ctrl+C or SIGTERM, finishing requests in flight.
    """
    if not is_loopback(host) and not allow_remote:
        raise click.UsageError(f"refusing to bind non-loopback address {host!r}; pass --allow-remote if you mean it")
    if not is_loopback(host):
        click.secho(f"WARNING: listening on {host}, reachable from other machines. Tokens are the only protection.",
                    fg="red", err=True)
    settings = Settings(data_dir=resolve_data_dir(data_dir), host=host, port=port, allow_remote=allow_remote,
                        max_body_bytes=int(max_body_mb * 1024 * 1024))
    run(settings, data_dir_given=data_dir is not None)


def run(settings: Settings, *, data_dir_given: bool) -> None:
    """Open the store, print how to pair, serve until a signal arrives."""
    from aiohttp import web  # imported here so `vetscribe --help` stays fast

    from companion.api.app import create_app, open_store
    from companion.logs import log_event, setup_logging

    setup_logging(settings.log_dir)
    try:
        db = open_store(settings)
    except SchemaTooNew as exc:
        click.echo(f"error: {exc.detail}", err=True)
        sys.exit(2)
    app = create_app(settings, db)
    data_dir_arg = f" --data-dir {settings.data_dir}" if data_dir_given else ""

    def announce(runner_app) -> None:
        click.echo(f"vetscribe companion listening on http://{_url_host(settings.host)}:{settings.port} "
                   f"(data: {settings.data_dir})")
        click.echo(EXTENSION_HELP.format(data_dir_arg=data_dir_arg))

    log_event("serve_start", host=settings.host, port=settings.port, schema_version=db.schema_version)
    web.run_app(app, host=settings.host, port=settings.port, access_log=None, print=announce,
                shutdown_timeout=10, handle_signals=True)
    log_event("serve_stop")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
