"""One place that turns the store into the pilot report the dashboard, the API and `vetscribe pilot report` share."""

import random
from collections import OrderedDict
from datetime import date

from pydantic import BaseModel

from companion.pilot import blind_review
from companion.pilot.consent import ConsentDecision, rules_table
from companion.pilot.metrics import PilotMetrics, compute_metrics
from companion.pilot.scorecard import Scorecard, evaluate
from companion.pilot.settings import PilotSettings
from companion.store import audit, drift
from companion.store import pilot as pilot_store
from companion.store.db import Database
from companion.store.ids import new_id


class AuditView(BaseModel):
    """The newest audit rows and the chain check."""

    ok: bool
    rows: int
    bad_seq: int | None
    problem: str | None
    recent: list[dict]


class PilotReport(BaseModel):
    """Everything the dashboard shows; the CLI report prints the same object."""

    metrics: PilotMetrics
    scorecard: Scorecard
    clinician_scorecards: dict[str, Scorecard]
    settings: PilotSettings
    consent: ConsentDecision
    consent_configured: bool


class DashboardData(PilotReport):
    """The report plus the admin-only views: selector-map health, blind reviews, the consent table."""

    map_health: list[dict]
    blind_reviews: list[dict]
    consent_states: dict[str, dict]


def pilot_report(db: Database, date_from: date | None = None, date_to: date | None = None, *,
                 refresh: bool = True) -> PilotReport:
    """Metrics and scorecards for a window (inclusive clinic-local days)."""
    return PilotReport(**_report_fields(db, date_from, date_to, refresh))


_CACHE: OrderedDict[tuple, dict] = OrderedDict()
_CACHE_SIZE = 16


def _report_fields(db: Database, date_from: date | None, date_to: date | None, refresh: bool) -> dict:
    """Report fields, reused while nothing they depend on changed (the data version is a handful of counters)."""
    if refresh:
        pilot_store.refresh_note_stats(db)
    key = (str(db.path), date_from, date_to, pilot_store.data_version(db))
    fields = _CACHE.get(key)
    if fields is None:
        fields = _compute_fields(db, date_from, date_to)
        _CACHE[key] = fields
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return dict(fields)


def _compute_fields(db: Database, date_from: date | None, date_to: date | None) -> dict:
    settings = pilot_store.get_settings(db)
    data = pilot_store.load_pilot_data(db, date_from, date_to, refresh=False)
    metrics = compute_metrics(data, date_from=date_from, date_to=date_to,
                              baseline_seconds=settings.baseline_seconds, tz=settings.tz())
    decision, configured = pilot_store.consent_decision(db)
    return {
        "metrics": metrics,
        "scorecard": evaluate(metrics, settings.thresholds),
        "clinician_scorecards": {name: evaluate(g, settings.thresholds) for name, g in metrics.clinicians.items()},
        "settings": settings,
        "consent": decision,
        "consent_configured": configured,
    }


def dashboard(db: Database, date_from: date | None = None, date_to: date | None = None, *,
              refresh: bool = True) -> DashboardData:
    """The report plus map health and blind-review status (the audit view loads separately: it walks the chain)."""
    return DashboardData(
        **_report_fields(db, date_from, date_to, refresh),
        map_health=drift.summary(db),
        blind_reviews=pilot_store.list_blind_reviews(db),
        consent_states={code: {"name": row["name"], "rule": row["rule"], "status": row["status"]}
                        for code, row in rules_table()["states"].items()},
    )


def audit_view(db: Database, limit: int = 50) -> AuditView:
    """The newest audit rows and a full verification of the hash chain."""
    check = audit.verify(db)
    recent = [{k: row[k] for k in ("seq", "at", "actor", "action", "entity_type", "entity_id", "details_json")}
              for row in audit.recent(db, limit)]
    return AuditView(ok=check.ok, rows=check.rows, bad_seq=check.bad_seq, problem=check.problem, recent=recent)


class BlindReviewExport(BaseModel):
    """What goes to the reviewer: a review id and coded, de-identified notes in random order."""

    review_id: str
    instructions: str
    items: list[blind_review.ReviewItem]


INSTRUCTIONS = ("Rate each note 1-10 on completeness, accuracy and professionalism. Notes are coded and shuffled; "
                "do not try to tell which were written with the scribe.")


def export_blind_review(db: Database, actor: str, date_from: date | None = None, date_to: date | None = None,
                        *, per_kind: int = 5, seed: int | None = None) -> BlindReviewExport:
    """Pick, de-identify and shuffle notes; keep the key in the store."""
    candidates = pilot_store.blind_candidates(db, date_from, date_to)
    rng = random.Random(seed) if seed is not None else None
    items, key = blind_review.build_review(candidates, per_kind=per_kind, rng=rng)
    review_id = new_id("rev_blind")
    pilot_store.save_blind_review(db, actor, review_id, key)
    return BlindReviewExport(review_id=review_id, instructions=INSTRUCTIONS, items=items)


def import_ratings(db: Database, actor: str, review_id: str,
                   ratings: list[blind_review.Rating]) -> blind_review.Comparison:
    """Store ratings and return the AI-versus-manual comparison."""
    pilot_store.save_ratings(db, actor, review_id, ratings)
    return review_comparison(db, review_id)


def review_comparison(db: Database, review_id: str) -> blind_review.Comparison:
    """The comparison for the ratings stored so far."""
    return blind_review.compare(pilot_store.blind_review_key(db, review_id), pilot_store.ratings(db, review_id))
