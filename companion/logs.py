"""JSON-lines logs in the data dir. Callers pass only whitelisted, non-patient fields (ids, routes, codes, timings).

Log records never carry request paths with query strings, bodies, problem details or exception messages,
because any of those can hold patient data.
"""

import json
import logging
import logging.handlers
import time
import traceback
from pathlib import Path

LOGGER_NAME = "vetscribe"
LOG_FILE = "companion.jsonl"
# The only keys a record may carry besides ts/level/event; anything else is dropped, so a careless caller
# cannot leak a patient name into the log by passing it as an extra field.
SAFE_KEYS = frozenset(
    {
        "request_id", "method", "route", "status", "duration_ms", "code", "error_type", "where",
        "host", "port", "data_dir", "schema_version", "version", "count", "map_id", "map_version",
        "role", "token_id", "pid", "reason", "migration",
    }
)


class JsonLineFormatter(logging.Formatter):
    """Formats a record as one JSON object per line with only safe keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", {}) or {}
        entry.update({key: value for key, value in fields.items() if key in SAFE_KEYS})
        return json.dumps(entry, default=str, separators=(",", ":"))


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> logging.Logger:
    """Point the vetscribe logger at a rotating JSON-lines file in log_dir (idempotent per directory)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(LOGGER_NAME)
    path = str(log_dir / LOG_FILE)
    for handler in list(logger.handlers):
        if getattr(handler, "baseFilename", None) == path:
            return logger
        logger.removeHandler(handler)
        handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def log_event(event: str, *, level: int = logging.INFO, **fields) -> None:
    """Write one event; `event` must be a fixed string, never data."""
    logging.getLogger(LOGGER_NAME).log(level, event, extra={"fields": fields})


def safe_traceback(exc: BaseException) -> str:
    """Where an exception happened (file:line function), without its message or locals."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
