"""A real `vetscribe serve` subprocess on a free loopback port with its own data dir, and a tiny HTTP client."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from companion.config import Settings
from companion.pilot.consent import ConsentPolicy
from companion.pilot.settings import SettingsPatch
from companion.store import Database
from companion.store import pilot as pilot_store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(*args: str, data_dir: Path | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run `vetscribe ARGS` (with --data-dir when given) and capture its output."""
    extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return subprocess.run([sys.executable, "-m", "companion", *args, *extra], capture_output=True, text=True,
                          timeout=timeout)


def one_party_practice(database: Database, state: str = "TX") -> None:
    """Configure a one-party-consent state, so tests that are not about consent can send transcripts directly."""
    pilot_store.update_settings(database, "test-setup", SettingsPatch(consent=ConsentPolicy(state=state)))


class LiveServer:
    """Start, talk to, and stop one companion process."""

    def __init__(self, data_dir: Path, port: int | None = None, extra_args: tuple[str, ...] = (),
                 practice_state: str | None = "TX"):
        self.data_dir, self.port = Path(data_dir), port or free_port()
        self.extra_args = extra_args
        # A one-party-consent state, so tests that are not about consent can send transcripts directly; None leaves
        # the data dir untouched (the practice then counts as an unknown, all-party jurisdiction).
        self.practice_state = practice_state
        self.proc: subprocess.Popen | None = None
        self.output = ""

    def start(self, timeout: float = 15) -> "LiveServer":
        if self.practice_state and self.proc is None:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            database = Database(Settings(data_dir=self.data_dir).db_path)
            try:
                one_party_practice(database, self.practice_state)
            finally:
                database.close()
        log = open(self.data_dir.parent / f"serve-{self.port}.out", "a+")
        self._log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "companion", "serve", "--port", str(self.port), "--data-dir", str(self.data_dir),
             *self.extra_args], stdout=log, stderr=subprocess.STDOUT, env=os.environ | {"PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited early:\n{self.read_output()}")
            try:
                if self.request("GET", "/v1/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("serve did not become healthy")

    def read_output(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text()

    def request(self, method: str, path: str, body=None, token: str | None = None,
                headers: dict | None = None) -> tuple[int, dict, object]:
        """One HTTP request; returns (status, headers, parsed JSON or None)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = body if isinstance(body, bytes) else json.dumps(body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=payload, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, dict(response.getheaders()), json.loads(raw) if raw else None
        finally:
            conn.close()

    def pair(self, role: str = "clinician") -> str:
        """Pair the way a user does: `vetscribe pair` in another process, then POST /v1/pair."""
        result = cli("pair", "--role", role, data_dir=self.data_dir)
        assert result.returncode == 0, result.stderr
        code = re.search(r"code \(\w+\): (\S+)", result.stdout).group(1)
        status, _, body = self.request("POST", "/v1/pair", {"code": code})
        assert status == 200, body
        return body["token"]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        """Signal the server and wait; returns its exit code."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=timeout)
        self.proc = None
        return code
