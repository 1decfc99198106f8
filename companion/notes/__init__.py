"""The note engine: grounded, species-aware SOAP drafts with medication and dose safety (never imports aiohttp)."""

from companion.notes.engine import ENGINE_NAME, EmbeddedEngine, draft_note
from companion.notes.errors import (BackendError, EmptyTranscriptError, NoteEngineError, TemplateError,
                                    TranscriptFormatError)
from companion.notes.model import Flag, Grounding, MedicationOrder, Note, NoteItem, Provenance, Segment, Speaker, Vital
from companion.notes.template import Template, default_template, load_template
from companion.notes.transcript import parse_transcript

__all__ = ["draft_note", "parse_transcript", "EmbeddedEngine", "ENGINE_NAME", "Note", "NoteItem", "Segment",
           "Speaker", "Provenance", "Flag", "Grounding", "MedicationOrder", "Vital", "Template", "load_template",
           "default_template", "NoteEngineError", "EmptyTranscriptError", "TemplateError", "TranscriptFormatError",
           "BackendError"]
