"""Context parsing: page fragments → PatientContext through the map's parser."""

from companion.api import engines
from companion.api.models.maps import ContextParse
from companion.api.spec import Call, Route
from companion.context.model import PatientContext
from companion.store import maps
from companion.store.errors import NotFound


async def parse_context(call: Call) -> PatientContext:
    """Parse HTML fragments collected by the resolver into a typed patient context."""
    try:
        map_body = await call.read(maps.get_map, call.body.map_id)
    except NotFound:
        map_body = None
    return await engines.parse_context(call.body.map_id, dict(call.body.fragments), map_body)


ROUTES = [
    Route("POST", "/v1/context/parse", parse_context, "Parse page fragments into a patient context",
          body=ContextParse, response=PatientContext, tags=["context"]),
]
