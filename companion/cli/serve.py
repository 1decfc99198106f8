"""`vetscribe serve`: run the companion API on loopback."""

import asyncio
import gc
import os
import signal
import sqlite3
import sys

import click

from companion.cli.options import data_dir_option, resolve_data_dir
from companion.config import DEFAULT_HOST, DEFAULT_PORT, Settings, is_loopback, speech_config
from companion.store.errors import SchemaTooNew

UNWRITABLE_GUIDE = "docs/operations.md#read-only-or-failing-data-dir"

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
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to bind; loopback unless --allow-remote.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@data_dir_option
@click.option("--allow-remote", is_flag=True, help="Permit binding a non-loopback address (exposes patient data "
              "to the network; only behind a trusted firewall).")
@click.option("--max-body-mb", default=4.0, show_default=True, type=click.FloatRange(0.01, 512),
              help="Largest request body accepted, in MiB (also caps a dictation recording).")
@click.option("--speech-url", envvar="VETSCRIBE_SPEECH_URL", metavar="URL",
              help="Dictation: OpenAI-compatible speech-to-text base URL ending in /v1 (or VETSCRIBE_SPEECH_URL).")
@click.option("--speech-model", envvar="VETSCRIBE_SPEECH_MODEL", default="whisper-1", show_default=True,
              help="Model name sent to --speech-url.")
@click.option("--speech-key", envvar="VETSCRIBE_SPEECH_KEY", default=None,
              help="API key for --speech-url (better: VETSCRIBE_SPEECH_KEY, kept out of the process list).")
@click.option("--whisper-model", envvar="VETSCRIBE_WHISPER_MODEL", metavar="DIR", default=None,
              help="Dictation with a local faster-whisper model directory instead (needs faster-whisper).")
def serve(host: str, port: int, data_dir, allow_remote: bool, max_body_mb: float, speech_url: str | None,
          speech_model: str, speech_key: str | None, whisper_model: str | None) -> None:
    """Start the companion service the browser extension talks to.

    Listens on 127.0.0.1:8765 by default and keeps everything in one SQLite file in the data dir. Shuts down
    gracefully on Ctrl+C or SIGTERM, finishing requests in flight.
    """
    if not is_loopback(host) and not allow_remote:
        raise click.UsageError(f"refusing to bind non-loopback address {host!r}; pass --allow-remote if you mean it")
    if not is_loopback(host):
        click.secho(f"WARNING: listening on {host}, reachable from other machines. Tokens are the only protection.",
                    fg="red", err=True)
    speech = speech_config(speech_url, speech_model, speech_key, os.environ.get("VETSCRIBE_SPEECH_LANGUAGE"),
                           whisper_model)
    settings = Settings(data_dir=resolve_data_dir(data_dir), host=host, port=port, allow_remote=allow_remote,
                        max_body_bytes=int(max_body_mb * 1024 * 1024), speech=speech)
    run(settings, data_dir_given=data_dir is not None)


def run(settings: Settings, *, data_dir_given: bool) -> None:
    """Open the store, print how to pair, serve until SIGINT/SIGTERM, then finish in-flight requests."""
    from companion.api.app import create_app, open_store
    from companion.logs import log_event, setup_logging

    from companion.store.integrity import DatabaseDamaged, check_file, is_damage

    if hasattr(signal, "SIGXFSZ"):
        # Past a file-size limit (ulimit -f, a quota) the kernel would kill us mid-commit; ignored, the write
        # fails with EFBIG instead and the request gets a clean 503 with nothing written.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        _private_data_dir(settings.data_dir)
        setup_logging(settings.log_dir)
        check_file(settings.db_path)  # before migrations or seeding write anything into a damaged file
        db = open_store(settings)
    except SchemaTooNew as exc:
        click.echo(f"error: {exc.detail}", err=True)
        sys.exit(2)
    except DatabaseDamaged as exc:
        _refuse_damaged(exc)
    except (sqlite3.Error, OSError) as exc:
        if is_damage(exc):
            _refuse_damaged(DatabaseDamaged(settings.db_path, str(exc)))
        reason = getattr(exc, "strerror", None) or str(exc)
        click.echo(f"error: cannot write the companion's data dir {settings.data_dir} ({reason}). vetscribe needs "
                   f"it writable; nothing was changed. See {UNWRITABLE_GUIDE}", err=True)
        sys.exit(1)
    app = create_app(settings, db)
    gc.collect()
    gc.freeze()  # start-up objects (modules, models) never die: keep them out of every later GC pass
    data_dir_arg = f" --data-dir {settings.data_dir}" if data_dir_given else ""
    log_event("serve_start", host=settings.host, port=settings.port, schema_version=db.schema_version,
              pid=os.getpid())
    try:
        asyncio.run(_serve(app, settings, data_dir_arg))
    except OSError as exc:
        click.echo(f"error: cannot listen on {settings.host}:{settings.port}: {exc.strerror}", err=True)
        sys.exit(1)
    log_event("serve_stop")


async def _serve(app, settings: Settings, data_dir_arg: str) -> None:
    from aiohttp import web  # imported here so `vetscribe --help` stays fast

    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=10)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        port = runner.addresses[0][1]
        click.echo(f"vetscribe companion listening on http://{_url_host(settings.host)}:{port} "
                   f"(data: {settings.data_dir})")
        click.echo(EXTENSION_HELP.format(data_dir_arg=data_dir_arg), nl=True)
        sys.stdout.flush()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        click.echo("shutting down: finishing requests in flight")
    finally:
        await runner.cleanup()  # stops listening, waits for in-flight handlers, runs on_cleanup (closes store)


def _private_data_dir(data_dir) -> None:
    """Create the data dir readable by this OS user only; warn when an existing one is open to others."""
    if not data_dir.exists():
        data_dir.mkdir(mode=0o700, parents=True)
    elif os.name == "posix" and data_dir.stat().st_mode & 0o077:
        click.secho(f"WARNING: {data_dir} holds patient data and is readable by other users; "
                    f"run: chmod 700 {data_dir}", fg="yellow", err=True)


def _refuse_damaged(exc) -> None:
    from companion.logs import log_event

    log_event("database_damaged", level=50, reason="integrity check failed")
    click.echo(f"error: {exc.detail}", err=True)
    sys.exit(3)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
