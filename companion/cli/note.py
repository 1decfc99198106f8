"""`vetscribe note TRANSCRIPT`: draft a grounded SOAP note from a transcript file, offline by default."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _read_transcript(path: str):
    """Text of the transcript file ('-' for stdin); a .json file may hold a list of segments."""
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except FileNotFoundError:
        raise click.ClickException(f"Transcript file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"Transcript file {path} cannot be read: {exc}") from None
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"Transcript file {path} is not valid JSON: {exc.msg}.") from None
        data = data.get("segments", data) if isinstance(data, dict) else data
        if not isinstance(data, list):
            raise click.ClickException(f"Transcript file {path} must hold a list of segments.")
        return data
    return text


def _read_context(path: Path | None):
    from pydantic import ValidationError

    from companion.context.model import PatientContext

    if path is None:
        return None
    try:
        return PatientContext.model_validate_json(path.read_text("utf-8"))
    except FileNotFoundError:
        raise click.ClickException(f"Context file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"Context file {path} cannot be read: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'context'}: {e['msg']}" for e in exc.errors()[:5])
        raise click.ClickException(f"Context file {path} is not a valid PatientContext: {problems}") from None


@click.command("note")
@click.argument("transcript", type=str)
@click.option("--context", "context_path", type=click.Path(dir_okay=False, path_type=Path),
              help="PatientContext JSON file (the chart).")
@click.option("--template", "template_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Practice template JSON file (default: the shipped template).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--llm-url", envvar="VETSCRIBE_LLM_URL", help="OpenAI-compatible base URL (e.g. "
              "http://127.0.0.1:11434/v1); without it the embedded engine drafts.")
@click.option("--llm-model", envvar="VETSCRIBE_LLM_MODEL", default="llama3.1", show_default=True)
@click.option("--llm-key", envvar="VETSCRIBE_LLM_KEY", default=None, help="API key (or VETSCRIBE_LLM_KEY).")
@click.option("--llm-timeout", type=float, default=30.0, show_default=True, help="Seconds per request.")
def note_cmd(transcript: str, context_path: Path | None, template_path: Path | None, output_format: str,
             llm_url: str | None, llm_model: str, llm_key: str | None, llm_timeout: float) -> None:
    """Draft a note from TRANSCRIPT (tagged lines such as 'Dr:' / 'Owner:', a .json segment list, or - for stdin).

    Prints the note as text, or with --format json as the Note model (sections, provenance, flags, grounding).
    """
    from companion.notes import NoteEngineError, draft_note

    segments = _read_transcript(transcript)
    context = _read_context(context_path)
    engine = None
    if llm_url:
        from companion.notes.llm import LLMConfig, LLMEngine

        engine = LLMEngine(LLMConfig(url=llm_url, model=llm_model, api_key=llm_key, timeout=llm_timeout))
    try:
        note = draft_note(segments, context, template=template_path, engine=engine)
    except NoteEngineError as exc:
        raise click.ClickException(str(exc)) from None
    if output_format == "json":
        click.echo(json.dumps(note.model_dump(mode="json"), indent=2))
    else:
        click.echo(note.to_text())


def register(group: click.Group) -> None:
    """Add `note` to the `vetscribe` command group."""
    group.add_command(note_cmd)
