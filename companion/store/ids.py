"""Opaque random identifiers and digests used across the store."""

import hashlib
import json
import secrets


def new_id(prefix: str) -> str:
    """A random opaque id such as `enc_3f9a…`; never derived from patient data."""
    return f"{prefix}_{secrets.token_hex(10)}"


def request_hash(payload: dict) -> str:
    """Digest of a request's content, to tell an idempotent retry from a reused key with other content."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()
