"""Companion settings: where data lives, what address to bind, and the limits the API enforces."""

import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field

APP_NAME = "vetscribe"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
REPO_SELECTORS_DIR = Path(__file__).resolve().parent.parent / "selectors"


def default_data_dir() -> Path:
    """The platform's per-user data dir, overridable with VETSCRIBE_DATA_DIR."""
    override = os.environ.get("VETSCRIBE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def speech_from_env() -> dict | None:
    """The speech-to-text adapter named by the environment, for `companion.notes.speech.speech_adapter`:
    VETSCRIBE_SPEECH_URL (an OpenAI-compatible base URL ending in /v1; VETSCRIBE_SPEECH_MODEL,
    VETSCRIBE_SPEECH_KEY, VETSCRIBE_SPEECH_LANGUAGE optional) or VETSCRIBE_WHISPER_MODEL (a faster-whisper model
    directory). None: no dictation, the panel takes typed or pasted text."""
    url, whisper = os.environ.get("VETSCRIBE_SPEECH_URL"), os.environ.get("VETSCRIBE_WHISPER_MODEL")
    if url:
        config = {"kind": "http", "url": url, "model": os.environ.get("VETSCRIBE_SPEECH_MODEL", "whisper-1")}
        for key, env in (("api_key", "VETSCRIBE_SPEECH_KEY"), ("language", "VETSCRIBE_SPEECH_LANGUAGE")):
            if os.environ.get(env):
                config[key] = os.environ[env]
        return config
    return {"kind": "faster-whisper", "model_path": whisper} if whisper else None


class Settings(BaseModel):
    """Everything `vetscribe serve` and the API need to know; defaults are the embedded defaults."""

    model_config = ConfigDict(extra="forbid")

    data_dir: Path = Field(default_factory=default_data_dir)
    host: str = DEFAULT_HOST
    port: int = Field(default=DEFAULT_PORT, ge=0, le=65535)
    allow_remote: bool = False
    max_body_bytes: int = Field(default=4 * 1024 * 1024, gt=0)
    pairing_code_ttl_s: int = Field(default=600, gt=0)
    pairing_max_failures: int = Field(default=5, gt=0, description="Wrong codes allowed per window.")
    pairing_failure_window_s: int = Field(default=300, gt=0)
    pairing_lockout_s: int = Field(default=300, gt=0)
    shipped_maps_dir: Path | None = Field(default=REPO_SELECTORS_DIR)
    speech: dict[str, str] | None = Field(default_factory=speech_from_env, repr=False)  # may hold an API key

    @property
    def db_path(self) -> Path:
        """The one SQLite file that holds everything."""
        return self.data_dir / "companion.sqlite3"

    @property
    def log_dir(self) -> Path:
        """Directory of the JSON-lines logs."""
        return self.data_dir / "logs"


def is_loopback(host: str) -> bool:
    """True for addresses that only this machine can reach."""
    host = host.strip("[]").lower()
    return host in LOOPBACK_HOSTS or host.startswith("127.")
