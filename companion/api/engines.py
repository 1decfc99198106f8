"""The two calls into engines other areas own (note drafting, context parsing), each in one small function.

Both engines are looked up at call time so the API works (answering 501) before they exist.
"""

import asyncio
import importlib
from typing import Any

from pydantic import BaseModel

from companion.api.errors import ApiError
from companion.context.model import PatientContext


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _as_dict(value: Any) -> dict:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else dict(value)


async def draft_note(encounter: dict, segments: list[dict], template: str | None) -> dict:
    """Run the note engine off the event loop; 501 engine_unavailable until companion.notes.draft_note exists."""
    engine = _optional("companion.notes", "draft_note")
    if engine is None:
        raise ApiError(501, "engine_unavailable", "the note engine is not installed in this build yet")
    context = PatientContext.model_validate(encounter["context"]) if encounter.get("context") else None
    errors = _optional("companion.notes.errors", "NoteEngineError")
    try:
        # WIRING POINT: the one call into the engine.
        note = await asyncio.to_thread(engine, segments, context=context, template=template)
    except Exception as exc:
        if errors is None or not isinstance(exc, errors):
            raise
        # Engine messages describe the input's shape, not its content (the engine's contract).
        status = 502 if getattr(exc, "code", "") == "backend_unavailable" else 422
        raise ApiError(status, getattr(exc, "code", "note_engine_error"), str(exc)) from None
    return _as_dict(note)


def note_sections(note: dict) -> dict[str, str]:
    """Section → text from engine output whose sections are plain strings, {text: ...} objects or a list."""
    sections = note.get("sections") or {}
    if isinstance(sections, list):
        sections = {item.get("name") or item.get("section"): item for item in sections}
    out = {}
    for name, value in sections.items():
        out[str(name)] = value if isinstance(value, str) else str((value or {}).get("text", ""))
    return out


async def parse_context(map_id: str, fragments: dict[str, list[str]], map_body: dict | None) -> PatientContext:
    """Parse page fragments into a PatientContext with the installed map (else the parser's shipped one);
    501 not_available until companion.context.parser exists."""
    parser = _optional("companion.context.parser", "parse_context")
    if parser is None:
        raise ApiError(501, "not_available", "the context parser is not installed in this build yet")
    schema = _optional("companion.maps.schema", "SelectorMap")
    kwargs = {"selector_map": schema.model_validate(map_body)} if map_body is not None and schema else {}
    result = await asyncio.to_thread(parser, map_id, fragments, **kwargs)
    return result if isinstance(result, PatientContext) else PatientContext.model_validate(_as_dict(result))
