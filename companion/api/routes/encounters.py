"""Encounter routes: create, get, list by patient, append transcript, close."""

from companion.api.errors import ApiError
from companion.api.models.common import Empty
from companion.api.models.encounters import (Encounter, EncounterCreate, EncounterList, EncounterQuery,
                                             TranscriptAppend, TranscriptAppended)
from companion.api.spec import Call, Route
from companion.store import encounters


async def create_encounter(call: Call) -> Encounter:
    """Open an encounter for a patient."""
    body: EncounterCreate = call.body
    context = body.context.model_dump(mode="json") if body.context else None
    row = await call.db(encounters.create, call.actor, patient_id=body.patient_id, pims=body.pims,
                        map_id=body.map_id, map_version=body.map_version, context=context, clinician=body.clinician)
    return Encounter.model_validate(row)


async def get_encounter(call: Call) -> Encounter:
    """One encounter with everything recorded on it."""
    return Encounter.model_validate(await call.read(encounters.get, call.params["id"]))


async def list_encounters(call: Call) -> EncounterList:
    """A patient's encounters, newest first."""
    rows = await call.read(encounters.list_for_patient, call.query.patient_id, call.query.limit)
    return EncounterList(items=[Encounter.model_validate(row) for row in rows])


def _segments(body: TranscriptAppend) -> list[dict]:
    if body.segments is not None:
        return [segment.model_dump() for segment in body.segments]
    from companion.notes.transcript import parse_transcript  # the one tagged-line parser, owned by the engine

    return [{"speaker": str(s.speaker.value if hasattr(s.speaker, "value") else s.speaker), "text": s.text}
            for s in parse_transcript(body.text)]


async def append_transcript(call: Call) -> TranscriptAppended:
    """Append transcript segments (structured, or tagged lines)."""
    segments = _segments(call.body)
    if not segments:
        raise ApiError(422, "validation_error", "the transcript text holds no speech",
                       errors=[{"loc": ["body", "text"], "msg": "no transcript lines", "type": "value_error"}])
    ids, state = await call.db(encounters.append_transcript, call.actor, call.params["id"], segments,
                               call.body.idempotency_key)
    return TranscriptAppended(segment_ids=ids, state=state)


async def close_encounter(call: Call) -> Encounter:
    """Close the encounter."""
    return Encounter.model_validate(await call.db(encounters.close, call.actor, call.params["id"]))


ROUTES = [
    Route("POST", "/v1/encounters", create_encounter, "Create an encounter", body=EncounterCreate,
          response=Encounter, status=201, tags=["encounters"]),
    Route("GET", "/v1/encounters", list_encounters, "List a patient's encounters", query=EncounterQuery,
          response=EncounterList, tags=["encounters"]),
    Route("GET", "/v1/encounters/{id}", get_encounter, "Get an encounter", response=Encounter, tags=["encounters"]),
    Route("POST", "/v1/encounters/{id}/transcript", append_transcript, "Append transcript", body=TranscriptAppend,
          response=TranscriptAppended, tags=["encounters"]),
    Route("POST", "/v1/encounters/{id}/close", close_encounter, "Close an encounter", body=Empty,
          response=Encounter, tags=["encounters"]),
]
