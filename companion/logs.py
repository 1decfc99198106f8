"""JSON-lines logs in the data dir. Callers pass only whitelisted, non-patient fields (ids, routes, codes, timings).

Log records never carry request paths with query strings, bodies, problem details or exception messages,
because any of those can hold patient data. Lines are written straight to the file (one write + flush per
line, rotated by size): the stdlib logging machinery cost a quarter of a request's CPU time.
"""

import json
import logging
import os
import threading
import time
import traceback
from pathlib import Path

LOGGER_NAME = "vetscribe"
LOG_FILE = "companion.jsonl"
MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5
LEVEL_NAMES = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warning", logging.ERROR: "error",
               logging.CRITICAL: "critical"}
# The only keys a record may carry besides ts/level/event; anything else is dropped, so a careless caller
# cannot leak a patient name into the log by passing it as an extra field.
SAFE_KEYS = frozenset(
    {
        "request_id", "method", "route", "status", "duration_ms", "code", "error_type", "where",
        "host", "port", "data_dir", "schema_version", "version", "count", "map_id", "map_version",
        "role", "token_id", "pid", "reason", "migration",
    }
)


class JsonLineFile:
    """An append-only, size-rotated JSON-lines file."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        self._lock = threading.Lock()
        self._file = open(path, "a", encoding="utf-8")
        self._size = self._file.tell()

    def write(self, line: str) -> None:
        """Append one line and flush it to the OS (a crash keeps every line written before it)."""
        with self._lock:
            try:
                if self._file is None:
                    self._file = open(self.path, "a", encoding="utf-8")
                if self._size + len(line) > self.max_bytes:
                    self._rotate()
                self._file.write(line)
                self._file.flush()
                self._size += len(line)
            except OSError:
                # Disk full or read-only: a log line is not worth failing a request; drop it (and the buffer,
                # which would otherwise grow) and reopen on the next line.
                self._drop_file()

    def _drop_file(self) -> None:
        try:
            if self._file is not None:
                self._file.close()
        except OSError:
            pass
        self._file = None

    def _rotate(self) -> None:
        self._file.close()
        for index in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{index + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        self._file = open(self.path, "a", encoding="utf-8")
        self._size = 0

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._drop_file()


_sink: JsonLineFile | None = None
_min_level = logging.INFO


def format_line(event: str, level: int, fields: dict) -> str:
    """One JSON line with only safe keys."""
    now = time.time()
    entry = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z",
             "level": LEVEL_NAMES.get(level, str(level)), "event": event}
    entry.update({key: value for key, value in fields.items() if key in SAFE_KEYS})
    return json.dumps(entry, default=str, separators=(",", ":")) + "\n"


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send events to log_dir/companion.jsonl (replacing any earlier destination); returns the file's path."""
    global _sink, _min_level
    log_dir.mkdir(parents=True, exist_ok=True)
    if _sink is not None:
        _sink.close()
    _sink, _min_level = JsonLineFile(log_dir / LOG_FILE), level
    return _sink.path


def log_event(event: str, *, level: int = logging.INFO, **fields) -> None:
    """Write one event; `event` must be a fixed string, never data. Without setup_logging it goes to the
    `vetscribe` stdlib logger (so tests see it)."""
    if level < _min_level:
        return
    if _sink is not None:
        _sink.write(format_line(event, level, fields))
    else:
        logging.getLogger(LOGGER_NAME).log(level, event, extra={"fields": {k: v for k, v in fields.items()
                                                                             if k in SAFE_KEYS}})


def safe_traceback(exc: BaseException) -> str:
    """Where an exception happened (file:line function), without its message or locals."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-6:]))
