"""Clinician-facing pilot routes: recording consent per encounter and the once-a-day satisfaction question."""

import asyncio
from typing import Literal

from pydantic import BaseModel, Field

from companion.api.models.common import ShortText, Strict
from companion.api.keys import DB
from companion.api.spec import Call, Route, run_db
from companion.logs import log_event
from companion.pilot.consent import ConsentDecision
from companion.store import pilot as pilot_store
from companion.store import pilot_retention
from companion.store.errors import NotFound


class ConsentStatus(BaseModel):
    """The rule in force; `requires_client_consent` tells the panel to ask before capture."""

    configured: bool
    decision: ConsentDecision


class ConsentConfirm(Strict):
    """Who on the team confirmed the client's consent, and how it was given."""

    confirmed_by: ShortText
    method: Literal["verbal", "written", "electronic"] = "verbal"


class ConsentRecord(Strict):
    """A stored consent confirmation."""

    encounter_id: str
    rule: Literal["one_party", "all_party"]
    confirmed_by: str
    method: str
    confirmed_at: str


class ClinicianQuery(Strict):
    """Whose daily question."""

    clinician: ShortText


class SatisfactionDue(Strict):
    """Whether the panel should ask today."""

    clinician: str
    due: bool


class SatisfactionAnswer(Strict):
    """A 1-5 answer to "How did the scribe work for you today?"."""

    clinician: ShortText
    score: int = Field(ge=1, le=5)


class SatisfactionRecorded(Strict):
    """The stored answer and the clinic day it counts for."""

    clinician: str
    day: str
    score: int


_BACKGROUND: set[asyncio.Task] = set()


def schedule_autopurge(call: Call) -> None:
    """Start the hourly retention check after the current request (it never delays the response)."""
    task = asyncio.get_running_loop().create_task(autopurge(call.request.app))
    _BACKGROUND.add(task)
    task.add_done_callback(_finished)


async def autopurge(app) -> None:
    """Delete through the writer (group commit), then compact the file on a connection of its own."""
    result = await run_db(app, pilot_retention.autopurge_delete)
    if pilot_retention.needs_compaction(result):
        await asyncio.get_running_loop().run_in_executor(None, pilot_retention.compact, app[DB].path)


AUTOPURGE_CHECK_EVERY_S = 600


async def autopurge_timer(app):
    """Cleanup context: check the retention purge at start-up and every ten minutes (it runs at most hourly)."""

    async def loop() -> None:
        while True:
            try:
                await autopurge(app)
            except Exception as exc:  # a failed purge must not stop the next one; it is logged, not raised
                log_event("autopurge_failed", level=40, error_type=type(exc).__name__)
            await asyncio.sleep(AUTOPURGE_CHECK_EVERY_S)

    task = asyncio.get_running_loop().create_task(loop())
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


def _finished(task: asyncio.Task) -> None:
    _BACKGROUND.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log_event("autopurge_failed", level=40, error_type=type(task.exception()).__name__)


async def consent_status(call: Call) -> ConsentStatus:
    """The practice's consent rule; the panel asks at every encounter, so the automatic purge is checked here."""
    decision, configured = await call.read(pilot_store.consent_decision)
    schedule_autopurge(call)
    return ConsentStatus(configured=configured, decision=decision)


async def confirm_consent(call: Call) -> ConsentRecord:
    """Record the client's consent to recording for this encounter (idempotent)."""
    row = await call.db(pilot_store.record_consent, call.actor, call.params["id"],
                        confirmed_by=call.body.confirmed_by, method=call.body.method)
    return ConsentRecord.model_validate(row)


async def get_consent(call: Call) -> ConsentRecord:
    """The consent recorded for this encounter."""
    row = await call.read(pilot_store.get_consent, call.params["id"])
    if row is None:
        raise NotFound("no consent recorded for this encounter")
    return ConsentRecord.model_validate(row)


async def satisfaction_due(call: Call) -> SatisfactionDue:
    """True when this clinician has not answered today."""
    due = await call.read(pilot_store.satisfaction_due, call.query.clinician)
    return SatisfactionDue(clinician=call.query.clinician, due=due)


async def record_satisfaction(call: Call) -> SatisfactionRecorded:
    """Keep today's answer; a second answer the same day is 409 conflict."""
    row = await call.db(pilot_store.record_satisfaction, call.actor, call.body.clinician, call.body.score)
    return SatisfactionRecorded.model_validate(row)


ROUTES = [
    Route("GET", "/v1/consent", consent_status, "Recording-consent rule in force", response=ConsentStatus,
          tags=["pilot"]),
    Route("POST", "/v1/encounters/{id}/consent", confirm_consent, "Confirm the client's recording consent",
          body=ConsentConfirm, response=ConsentRecord, status=201, tags=["pilot"]),
    Route("GET", "/v1/encounters/{id}/consent", get_consent, "Consent recorded for an encounter",
          response=ConsentRecord, tags=["pilot"]),
    Route("GET", "/v1/pilot/satisfaction/due", satisfaction_due, "Is today's satisfaction question due",
          query=ClinicianQuery, response=SatisfactionDue, tags=["pilot"]),
    Route("POST", "/v1/pilot/satisfaction", record_satisfaction, "Answer today's satisfaction question",
          body=SatisfactionAnswer, response=SatisfactionRecorded, status=201, tags=["pilot"]),
]
