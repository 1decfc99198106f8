"""Selector map versions: install (immutable per id+version), list, fetch, roll back, seed shipped maps."""

import hashlib
import json
import sqlite3

from companion.store import audit
from companion.store.db import Database, utc_now
from companion.store.errors import Conflict, NotFound


def active_version(conn: sqlite3.Connection, map_id: str) -> int | None:
    """The active version of a map inside an open transaction, or None."""
    row = conn.execute("SELECT version FROM active_maps WHERE map_id = ?", (map_id,)).fetchone()
    return row["version"] if row else None


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _activate(conn: sqlite3.Connection, map_id: str, version: int, now: str, chosen_by: str) -> None:
    conn.execute(
        "INSERT INTO active_maps(map_id, version, chosen_by, activated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(map_id) DO UPDATE SET version = excluded.version, chosen_by = excluded.chosen_by,"
        " activated_at = excluded.activated_at",
        (map_id, version, chosen_by, now),
    )


def install(db: Database, actor: str, body: dict, *, source: str = "admin", activate: bool = True) -> dict:
    """Store a validated map as a new version and make it active; re-installing identical content is a no-op."""
    map_id, version, now = body["id"], int(body["version"]), utc_now()
    digest = _digest(body)
    with db.transaction() as conn:
        existing = conn.execute(
            "SELECT sha256 FROM selector_maps WHERE map_id = ? AND version = ?", (map_id, version)
        ).fetchone()
        if existing is not None and existing["sha256"] != digest:
            raise Conflict(f"map '{map_id}' version {version} already exists with other content; raise the version")
        if existing is None:
            conn.execute(
                "INSERT INTO selector_maps(map_id, version, display_name, body_json, sha256, source, installed_by,"
                " installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (map_id, version, str(body.get("display_name") or map_id), json.dumps(body), digest, source,
                 actor, now),
            )
        if activate:
            _activate(conn, map_id, version, now, "admin" if source == "admin" else "system")
        if existing is None or activate:
            audit.append(conn, actor, "map.installed", "selector_map", map_id,
                         {"version": version, "source": source, "sha256": digest, "active": activate})
    return {"id": map_id, "version": version}


def list_maps(db: Database) -> list[dict]:
    """Every map id with its active version."""
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT m.map_id, m.version, m.display_name FROM active_maps a"
            " JOIN selector_maps m ON m.map_id = a.map_id AND m.version = a.version ORDER BY m.map_id"
        ).fetchall()
    return [{"id": r["map_id"], "display_name": r["display_name"], "version": r["version"], "active": True}
            for r in rows]


def get_map(db: Database, map_id: str, version: int | None = None) -> dict:
    """A map's JSON: the given version, else the active one."""
    with db.reading() as conn:
        if version is None:
            version = active_version(conn, map_id)
            if version is None:
                raise NotFound(f"no selector map '{map_id}'")
        row = conn.execute(
            "SELECT body_json FROM selector_maps WHERE map_id = ? AND version = ?", (map_id, version)
        ).fetchone()
    if row is None:
        raise NotFound(f"no selector map '{map_id}' version {version}")
    return json.loads(row["body_json"])


def versions(db: Database, map_id: str) -> list[dict]:
    """Every stored version of a map, newest first, marking the active one."""
    with db.reading() as conn:
        active = active_version(conn, map_id)
        rows = conn.execute(
            "SELECT version, display_name, sha256, source, installed_at FROM selector_maps WHERE map_id = ?"
            " ORDER BY version DESC", (map_id,)
        ).fetchall()
    if not rows:
        raise NotFound(f"no selector map '{map_id}'")
    return [dict(r) | {"id": map_id, "active": r["version"] == active} for r in rows]


def rollback(db: Database, actor: str, map_id: str, version: int) -> dict:
    """Make an already stored version the active one."""
    now = utc_now()
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT 1 FROM selector_maps WHERE map_id = ? AND version = ?", (map_id, version)
        ).fetchone()
        if row is None:
            raise NotFound(f"no selector map '{map_id}' version {version}")
        previous = active_version(conn, map_id)
        _activate(conn, map_id, version, now, "admin")
        audit.append(conn, actor, "map.rolled_back", "selector_map", map_id, {"from": previous, "to": version})
    return {"id": map_id, "version": version}


def seed_shipped(db: Database, bodies: list[dict]) -> list[dict]:
    """Install shipped maps not yet stored; activate them unless an admin chose the active version."""
    installed = []
    for body in bodies:
        with db.reading() as conn:
            known = conn.execute(
                "SELECT 1 FROM selector_maps WHERE map_id = ? AND version = ?", (body["id"], int(body["version"]))
            ).fetchone()
            active = conn.execute(
                "SELECT version, chosen_by FROM active_maps WHERE map_id = ?", (body["id"],)
            ).fetchone()
        if known:
            continue
        activate = active is None or (active["chosen_by"] == "system" and active["version"] < int(body["version"]))
        installed.append(install(db, "system", body, source="shipped", activate=activate))
    return installed
