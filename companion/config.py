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


def speech_config(url: str | None = None, model: str | None = None, api_key: str | None = None,
                  language: str | None = None, whisper_model: str | None = None) -> dict | None:
    """The speech-to-text adapter config for `companion.notes.speech.speech_adapter`: an OpenAI-compatible base
    URL ending in /v1 (model, key and language optional), else a local faster-whisper model directory, else None
    (no dictation: the panel takes typed or pasted text)."""
    if url:
        config = {"kind": "http", "url": url, "model": model or "whisper-1"}
        config.update({k: v for k, v in (("api_key", api_key), ("language", language)) if v})
        return config
    return {"kind": "faster-whisper", "model_path": whisper_model} if whisper_model else None


def speech_from_env() -> dict | None:
    """`speech_config` from VETSCRIBE_SPEECH_URL, VETSCRIBE_SPEECH_MODEL, VETSCRIBE_SPEECH_KEY,
    VETSCRIBE_SPEECH_LANGUAGE and VETSCRIBE_WHISPER_MODEL."""
    env = os.environ.get
    return speech_config(env("VETSCRIBE_SPEECH_URL"), env("VETSCRIBE_SPEECH_MODEL"), env("VETSCRIBE_SPEECH_KEY"),
                         env("VETSCRIBE_SPEECH_LANGUAGE"), env("VETSCRIBE_WHISPER_MODEL"))


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
