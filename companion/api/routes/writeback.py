"""Write-back report: per-field outcomes of filling an approved note."""

from companion.api.models.encounters import Encounter, WritebackReport
from companion.api.spec import Call, Route
from companion.store import encounters


async def writeback(call: Call) -> Encounter:
    """Record per-field outcomes; the encounter becomes written or partially_written (idempotent per key)."""
    body: WritebackReport = call.body
    row = await call.db(encounters.record_writeback, call.actor, call.params["id"], approval_id=body.approval_id,
                        idempotency_key=body.idempotency_key,
                        results=[result.model_dump() for result in body.results])
    return Encounter.model_validate(row)


ROUTES = [
    Route("POST", "/v1/encounters/{id}/writeback", writeback, "Report write-back outcomes", body=WritebackReport,
          response=Encounter, tags=["notes"]),
]
