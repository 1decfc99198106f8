"""`vetscribe pilot ...` (report, settings, consent rules, blind review) and `vetscribe purge`."""

import csv
import json
from datetime import date
from pathlib import Path

import click

from companion.cli.options import data_dir_option, open_store
from companion.store.errors import StoreError

CLI_ACTOR = "cli"


def register(group: click.Group) -> None:
    """Add `pilot` and `purge` to the CLI."""
    group.add_command(pilot)
    group.add_command(purge)


def _day(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD") from None


@click.group()
def pilot() -> None:
    """Measure the 30-day pilot and manage consent, retention and blind review.

    The admin dashboard at http://127.0.0.1:8765/admin shows the same numbers.
    """


@pilot.command()
@data_dir_option
@click.option("--from", "date_from", callback=_day, help="First clinic day (YYYY-MM-DD) [default: the start].")
@click.option("--to", "date_to", callback=_day, help="Last clinic day, inclusive [default: today].")
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "json"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def report(data_dir, date_from, date_to, fmt: str, output: Path | None) -> None:
    """Pilot metrics and the decision rules for a window; exits 3 when the STOP rule is crossed."""
    from companion.pilot.report import RENDERERS
    from companion.pilot.service import pilot_report

    if date_from and date_to and date_to < date_from:
        raise click.BadParameter("--to is before --from")
    db = open_store(data_dir)
    try:
        result = pilot_report(db, date_from, date_to)
    finally:
        db.close()
    text = RENDERERS[fmt](result)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} (overall: {result.scorecard.overall.value})", err=True)
    else:
        click.echo(text, nl=False)
    if result.scorecard.stop:
        click.secho("STOP: clinically significant medication errors above the hard-stop threshold.", fg="red",
                    err=True)
        raise SystemExit(3)


@pilot.command()
@data_dir_option
@click.option("--state", help="Two-letter US state of the practice, or 'other'.")
@click.option("--clinic-rule", type=click.Choice(["state", "all_party"]),
              help="'all_party' always asks every party (a clinic may tighten, never loosen).")
@click.option("--retention-days", type=click.IntRange(1, 3650), help="Purge transcripts older than this.")
@click.option("--auto-purge/--no-auto-purge", default=None, help="Purge automatically while serving.")
@click.option("--baseline-minutes", type=click.FloatRange(0, 1440, min_open=True),
              help="Documentation minutes per note without the scribe.")
@click.option("--clear-baseline", is_flag=True, help="Measure the baseline from notes written without the scribe.")
@click.option("--timezone", help="IANA time zone of the clinic, e.g. America/Chicago.")
@click.option("--thresholds", "thresholds_json", help="JSON object of decision thresholds to change.")
def settings(data_dir, state, clinic_rule, retention_days, auto_purge, baseline_minutes, clear_baseline, timezone,
             thresholds_json) -> None:
    """Show the pilot settings, or change the ones given."""
    from companion.pilot.consent import ConsentPolicy
    from companion.pilot.settings import SettingsPatch
    from companion.store import pilot as pilot_store

    db = open_store(data_dir)
    try:
        current = pilot_store.get_settings(db)
        changes: dict = {}
        if state or clinic_rule:
            policy = current.consent.model_dump()
            if state:
                policy["state"] = state.upper() if len(state) == 2 else state.lower()
            if clinic_rule:
                policy["clinic_rule"] = None if clinic_rule == "state" else clinic_rule
            changes["consent"] = ConsentPolicy.model_validate(policy)
        if thresholds_json:
            merged = current.thresholds.model_dump() | json.loads(thresholds_json)
            changes["thresholds"] = merged
        for key, value in (("retention_days", retention_days), ("auto_purge", auto_purge),
                           ("timezone", timezone), ("clear_baseline", clear_baseline or None)):
            if value is not None:
                changes[key] = value
        if baseline_minutes is not None:
            changes["baseline_seconds"] = baseline_minutes * 60
        if changes:
            try:
                current = pilot_store.update_settings(db, CLI_ACTOR, SettingsPatch.model_validate(changes))
            except (StoreError, ValueError) as exc:
                raise click.ClickException(getattr(exc, "detail", str(exc))) from None
        decision, configured = pilot_store.consent_decision(db)
    finally:
        db.close()
    click.echo(current.model_dump_json(indent=2))
    note = "" if configured else " (NOT CONFIGURED: set --state before recording)"
    click.echo(f"consent in force: {decision.effective_rule.value} for {decision.state}{note}")


@pilot.command()
@data_dir_option
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535),
              help="The port `vetscribe serve` listens on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the dashboard in the default browser.")
def dashboard(data_dir, port: int, open_browser: bool) -> None:
    """Print a link that opens the admin dashboard with a new admin token (the token is in the #fragment, which
    the browser never sends to the server; the page moves it to session storage)."""
    from companion.store import pairing

    db = open_store(data_dir)
    try:
        code, _ = pairing.issue_code(db, "admin", actor=CLI_ACTOR)
        token, _token_id, _role = pairing.redeem_code(db, code)
    finally:
        db.close()
    url = f"http://127.0.0.1:{port}/admin#token={token}"
    click.echo(url)
    if open_browser:
        import webbrowser

        webbrowser.open(url)


@pilot.command("consent-rules")
@click.argument("state", required=False)
def consent_rules(state: str | None) -> None:
    """Print the shipped recording-consent table (or one state's row) with its sources. Not legal advice."""
    from companion.pilot.consent import ConsentPolicy, decide, rules_table

    table = rules_table()
    if state:
        click.echo(decide(ConsentPolicy(state=state)).model_dump_json(indent=2))
        return
    click.echo(f"{table['title']} — {table['disclaimer']} (reviewed {table['reviewed']})")
    for code, row in table["states"].items():
        click.echo(f"{code}  {row['rule']:<9}  {row['status']:<20}  {row['citation']}")
    click.echo(f"other / unknown: {table['default_for_unknown']}")


@pilot.command("blind-export")
@data_dir_option
@click.option("--from", "date_from", callback=_day, help="First clinic day to draw notes from.")
@click.option("--to", "date_to", callback=_day, help="Last clinic day to draw notes from.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="JSON file for the reviewer.")
def blind_export(data_dir, date_from, date_to, output: Path) -> None:
    """Export 5 AI and 5 manual notes, de-identified and shuffled, for a senior clinician to rate 1-10."""
    from companion.pilot.blind_review import NotEnoughNotes
    from companion.pilot.service import export_blind_review

    db = open_store(data_dir)
    try:
        exported = export_blind_review(db, CLI_ACTOR, date_from, date_to)
    except NotEnoughNotes as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    output.write_text(exported.model_dump_json(indent=2), encoding="utf-8")
    click.echo(f"review {exported.review_id}: {len(exported.items)} notes written to {output}")


def _read_ratings(path: Path) -> list[dict]:
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return [{k: (v if k == "code" else int(v)) for k, v in row.items()} for row in csv.DictReader(handle)]
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["ratings"] if isinstance(data, dict) else data


@pilot.command("blind-import")
@data_dir_option
@click.argument("review_id")
@click.argument("ratings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def blind_import(data_dir, review_id: str, ratings_file: Path) -> None:
    """Import ratings (CSV: code,completeness,accuracy,professionalism; or JSON) and show AI vs manual."""
    from pydantic import TypeAdapter, ValidationError

    from companion.pilot.blind_review import Rating
    from companion.pilot.service import import_ratings

    try:
        ratings = TypeAdapter(list[Rating]).validate_python(_read_ratings(ratings_file))
    except (ValidationError, ValueError, KeyError) as exc:
        raise click.ClickException(f"ratings file is not valid: {exc}") from None
    db = open_store(data_dir)
    try:
        comparison = import_ratings(db, CLI_ACTOR, review_id, ratings)
    except StoreError as exc:
        raise click.ClickException(exc.detail) from None
    finally:
        db.close()
    click.echo(comparison.model_dump_json(indent=2))


@click.command()
@data_dir_option
@click.option("--retention-days", type=click.IntRange(1, 3650),
              help="Override the configured retention for this run.")
def purge(data_dir, retention_days: int | None) -> None:
    """Purge transcripts older than the retention limit (default 30 days); approved notes and audit stay."""
    from companion.store import pilot_retention

    db = open_store(data_dir)
    try:
        result = pilot_retention.purge(db, CLI_ACTOR, retention_days=retention_days)
    finally:
        db.close()
    click.echo(f"purged {result['segments']} transcript segments from {result['encounters']} encounters "
               f"older than {result['retention_days']} days (before {result['cutoff']}); audited")
