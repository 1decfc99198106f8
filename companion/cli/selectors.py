"""`vetscribe selectors validate|check|scrub|schema|install|versions|rollback`: the admin's tools for keeping
selector maps true."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from companion.cli.options import data_dir_option

CLI_ACTOR = "cli"  # the audit log's actor for changes made at the command line

def _print_findings(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    for f in report.findings:
        click.echo(f"{f.severity:<7} {f.path}: {f.message} [{f.code}]")
    click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")


@click.group("selectors")
def selectors_group() -> None:
    """Selector maps: validate them, check them against a saved page, scrub saved pages, print the schema."""


@selectors_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def validate_cmd(files: tuple[Path, ...], as_json: bool) -> None:
    """Check map FILES against the schema and lint rules; exit 1 when any has errors."""
    from companion.maps.lint import validate_file

    failed = False
    for path in files:
        if not as_json:
            click.echo(f"== {path}")
        report = validate_file(path)
        _print_findings(report, as_json)
        failed |= not report.ok
    sys.exit(1 if failed else 0)


@selectors_group.command("check")
@click.argument("map_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("page")
@click.option("--url", help="Pretend the saved page was served from this URL (default: one the map matches).")
@click.option("--page-kind", help="Check this page kind instead of the detected one.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check_cmd(map_file: Path, page: str, url: str | None, page_kind: str | None, as_json: bool) -> None:
    """Run the extension's resolver on PAGE (a saved .html file, or an http(s) URL) with MAP_FILE.

    Prints per field found / missing / ambiguous, the winning strategy and score, and the parsed context.
    Exits 1 when a field or step does not resolve.
    """
    from companion.maps.browser import BrowserUnavailable
    from companion.maps.check import check_html, check_live_url, exit_code, format_result
    from companion.maps.loader import MapError, load_map_file

    try:
        smap = load_map_file(map_file)
    except MapError as exc:
        raise click.ClickException(f"the map does not validate: {exc} (run `vetscribe selectors validate`)")
    try:
        if page.startswith(("http://", "https://")):
            result = check_live_url(smap, page, page_kind=page_kind)
        else:
            html = Path(page).read_text(encoding="utf-8", errors="replace")
            result = check_html(smap, html, url=url, page_kind=page_kind)
    except (OSError, ValueError, BrowserUnavailable) as exc:
        raise click.ClickException(str(exc))
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else format_result(result))
    sys.exit(exit_code(result))


@selectors_group.command("scrub")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--map", "map_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Keep the caption texts this map's locators look for.")
@click.option("--keep", multiple=True, help="Extra caption text to keep (repeatable).")
def scrub_cmd(src: Path, dest: Path, map_file: Path | None, keep: tuple[str, ...]) -> None:
    """Copy saved page SRC to DEST without patient data, keeping what locators need. Review DEST before sharing."""
    from companion.maps.scrub import scrub_html
    from companion.maps.loader import MapError, load_map_file

    smap = None
    if map_file is not None:
        try:
            smap = load_map_file(map_file)
        except MapError as exc:
            raise click.ClickException(f"the map does not validate: {exc}")
    html = src.read_text(encoding="utf-8", errors="replace")
    dest.write_text(scrub_html(html, keep_texts=keep, selector_map=smap), encoding="utf-8")
    click.echo(f"scrubbed {src} -> {dest}; open it and look before sharing")


@selectors_group.command("schema")
@click.option("--write", "write", is_flag=True, help="Write selectors/schema.json instead of printing it.")
def schema_cmd(write: bool) -> None:
    """Print (or write) the JSON Schema of a selector map, generated from the pydantic models."""
    from companion.maps.jsonschema import schema_text, write_schema

    if write:
        click.echo(f"wrote {write_schema()}")
    else:
        click.echo(schema_text(), nl=False)


def _open_store(data_dir: Path | None):
    """The companion's store in the data dir, shipped maps seeded (it may not exist yet: maps can come first)."""
    from companion.cli.options import open_store
    from companion.config import Settings
    from companion.store import maps
    from companion.store.map_files import load_shipped

    db = open_store(data_dir, create=True)
    maps.seed_shipped(db, load_shipped(Settings().shipped_maps_dir))
    return db


def _store_call(data_dir: Path | None, fn, *args):
    """Run one store function; store errors become a clear message and exit 1."""
    from companion.store.errors import StoreError

    db = _open_store(data_dir)
    try:
        return fn(db, *args)
    except StoreError as exc:
        raise click.ClickException(exc.detail) from None
    finally:
        db.close()


@selectors_group.command("install")
@click.argument("map_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_dir_option
def install_cmd(map_file: Path, data_dir: Path | None) -> None:
    """Validate MAP_FILE and install it as the active version of its map (audited).

    Works while `vetscribe serve` runs: the extension uses the new version on the next page load. A map with
    errors is refused and nothing is written.
    """
    from companion.maps.lint import validate_file
    from companion.store import maps
    from companion.store.map_files import validate_map

    report = validate_file(map_file)
    if not report.ok:
        _print_findings(report, as_json=False)
        raise click.ClickException("the map has errors; nothing was installed")
    for f in report.warnings:
        click.echo(f"warning {f.path}: {f.message} [{f.code}]")
    body = _validated(validate_map, json.loads(map_file.read_text(encoding="utf-8")))
    ref = _store_call(data_dir, maps.install, CLI_ACTOR, body)
    click.echo(f"installed {ref['id']} version {ref['version']} (active)")


def _validated(validate, body: dict) -> dict:
    from companion.store.errors import InvalidInput

    try:
        return validate(body)
    except InvalidInput as exc:
        raise click.ClickException(exc.detail) from None


@selectors_group.command("versions")
@click.argument("map_id")
@data_dir_option
def versions_cmd(map_id: str, data_dir: Path | None) -> None:
    """List the stored versions of MAP_ID, newest first; * marks the active one."""
    from companion.store import maps

    for row in _store_call(data_dir, maps.versions, map_id):
        mark = "*" if row["active"] else " "
        click.echo(f"{mark} {row['version']:>6}  {row['source']:<8} {row['installed_at']}  {row['display_name']}")


@selectors_group.command("rollback")
@click.argument("map_id")
@click.argument("version", type=click.IntRange(1, 2**31 - 1))
@data_dir_option
def rollback_cmd(map_id: str, version: int, data_dir: Path | None) -> None:
    """Make stored VERSION of MAP_ID the active one again (audited); the extension follows on the next page load."""
    from companion.store import maps

    ref = _store_call(data_dir, maps.rollback, CLI_ACTOR, map_id, version)
    click.echo(f"{ref['id']} is now at version {ref['version']}")


def register(group: click.Group) -> None:
    """Add `selectors` to the vetscribe command."""
    group.add_command(selectors_group)
