"""Pairing: one-time codes (hashed, short-lived) exchanged for bearer tokens (hashed); token lookup."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from companion.store import audit
from companion.store.db import Database, utc_now
from companion.store.errors import PairingRefused
from companion.store.ids import new_id

ROLES = ("clinician", "admin")
# No 0/O/1/I/L: codes are read off a terminal and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """Upper-case and drop separators, so `abcd-efgh` and `ABCDEFGH` are the same code."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def issue_code(db: Database, role: str, ttl_s: int = 600, actor: str = "cli") -> tuple[str, str]:
    """Create a one-time code for `role`; returns (code as shown, expiry time). Only its hash is stored."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = (datetime.now(UTC) + timedelta(seconds=ttl_s)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO pairing_codes(code_hash, role, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (_sha256(raw), role, utc_now(), expires),
        )
        audit.append(conn, actor, "pairing.code_issued", "pairing", "code", {"role": role, "expires_at": expires})
    return f"{raw[:4]}-{raw[4:]}", expires


def redeem_code(db: Database, code: str) -> tuple[str, str, str]:
    """Spend a valid unused code; returns (token, token_id, role). The token is shown once, stored hashed."""
    now = utc_now()
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT role FROM pairing_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
            (_sha256(normalise_code(code)), now),
        ).fetchone()
        if row is None:
            raise PairingRefused("the pairing code is wrong, used or expired; run `vetscribe pair` for a new one")
        conn.execute("UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?", (now, _sha256(normalise_code(code))))
        token, token_id = secrets.token_urlsafe(32), new_id("tok")
        conn.execute(
            "INSERT INTO tokens(id, token_hash, role, created_at) VALUES (?, ?, ?, ?)",
            (token_id, _sha256(token), row["role"], now),
        )
        audit.append(conn, token_id, "pairing.token_issued", "token", token_id, {"role": row["role"]})
    return token, token_id, row["role"]


def lookup_token(db: Database, token: str) -> tuple[str, str] | None:
    """(token_id, role) for a live token, else None."""
    with db.reading() as conn:
        row = conn.execute(
            "SELECT id, role FROM tokens WHERE token_hash = ? AND revoked_at IS NULL", (_sha256(token),)
        ).fetchone()
    return (row["id"], row["role"]) if row else None
