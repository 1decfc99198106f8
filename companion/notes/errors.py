"""Domain errors of the note engine; the API maps them to problem+json at its edge."""


class NoteEngineError(Exception):
    """Base class for every error the note engine raises on purpose."""

    code = "note_engine_error"


class EmptyTranscriptError(NoteEngineError, ValueError):
    """The transcript is empty, silent or too short to support any note."""

    code = "empty_transcript"


class TemplateError(NoteEngineError, ValueError):
    """A practice template file is missing, unreadable or invalid."""

    code = "invalid_template"


class TranscriptFormatError(NoteEngineError, ValueError):
    """Structured transcript segments could not be understood."""

    code = "invalid_transcript"


class BackendError(NoteEngineError):
    """An optional remote backend (LLM or speech) failed or answered nonsense."""

    code = "backend_unavailable"
