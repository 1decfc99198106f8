"""Drift reports from the extension and the admin summary."""

from companion.api.models.maps import DriftList, DriftReport, DriftSummary
from companion.api.spec import Call, Route
from companion.store import drift


async def report_drift(call: Call) -> None:
    """Record one drift observation."""
    await call.db(drift.record, call.actor, call.body.model_dump())


async def drift_summary(call: Call) -> DriftList:
    """Drift counts per map, field and outcome."""
    return DriftList(items=[DriftSummary.model_validate(row) for row in await call.read(drift.summary)])


ROUTES = [
    Route("POST", "/v1/drift", report_drift, "Report selector drift", body=DriftReport, status=204,
          tags=["maps"]),
    Route("GET", "/v1/admin/drift", drift_summary, "Drift summary", role="admin", response=DriftList,
          tags=["admin"]),
]
