"""Drift reports from the extension: a map field that went missing, ambiguous or needed a fallback."""

from companion.store.db import Database, utc_now


def record(db: Database, actor: str, report: dict) -> None:
    """Store one drift observation (not audited: it is telemetry about the map, not about a patient)."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO drift_reports(map_id, map_version, page_kind, field, outcome, strategy, score, reported_by,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (report["map_id"], report["map_version"], report["page_kind"], report["field"], report["outcome"],
             report.get("strategy"), report.get("score"), actor, utc_now()),
        )


def summary(db: Database) -> list[dict]:
    """Counts per map, field and outcome, most recent first."""
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT map_id, field, outcome, COUNT(*) AS count, MAX(created_at) AS last_seen FROM drift_reports"
            " GROUP BY map_id, field, outcome ORDER BY last_seen DESC"
        ).fetchall()
    return [dict(r) for r in rows]
