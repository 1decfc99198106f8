"""Note routes: engine draft, clinician revisions, approval (returns the fill plan)."""

from companion.api import engines
from companion.api.models.encounters import (ApproveRequest, DraftRequest, DraftResult, FillPlan, RevisionCreate,
                                             RevisionCreated)
from companion.api.spec import Call, Route
from companion.store import encounters, states


async def draft(call: Call) -> DraftResult:
    """Ask the note engine for a draft and keep it as a revision."""
    encounter_id = call.params["id"]
    encounter = await call.read(encounters.get, encounter_id)
    states.check("draft", encounter["state"])  # refuse before spending engine time
    segments = await call.read(encounters.transcript, encounter_id)
    note = await engines.draft_note(encounter, segments, call.body.template)
    sections = engines.note_sections(note)
    revision = await call.db(encounters.add_revision, call.actor, encounter_id, sections, kind="draft",
                             engine_output=note)
    return DraftResult(revision_id=revision["revision_id"], encounter_id=encounter_id, state=revision["state"],
                       sections=sections, note=note)


async def revise(call: Call) -> RevisionCreated:
    """Keep a clinician edit as a new revision."""
    body: RevisionCreate = call.body
    revision = await call.db(encounters.add_revision, call.actor, call.params["id"], dict(body.sections),
                             kind="edit", base_revision_id=body.base_revision_id)
    return RevisionCreated.model_validate(revision)


async def approve(call: Call) -> FillPlan:
    """Approve the latest revision; returns the fill plan (idempotent per idempotency_key)."""
    body: ApproveRequest = call.body
    plan = await call.db(encounters.approve, call.actor, call.params["id"], revision_id=body.revision_id,
                         idempotency_key=body.idempotency_key, error_tags=list(body.error_tags),
                         sections=dict(body.sections) if body.sections is not None else None)
    return FillPlan.model_validate(plan)


ROUTES = [
    Route("POST", "/v1/encounters/{id}/draft", draft, "Draft a note with the engine", body=DraftRequest,
          response=DraftResult, tags=["notes"]),
    Route("POST", "/v1/encounters/{id}/revisions", revise, "Save a clinician edit", body=RevisionCreate,
          response=RevisionCreated, status=201, tags=["notes"]),
    Route("POST", "/v1/encounters/{id}/approve", approve, "Approve a revision for filling", body=ApproveRequest,
          response=FillPlan, tags=["notes"]),
]
