"""Selector map routes for clinicians: list and fetch."""

from companion.api.models.maps import MapDocument, MapList, MapQuery, MapSummary
from companion.api.spec import Call, Route
from companion.store import maps


async def list_maps(call: Call) -> MapList:
    """Installed maps with their active versions."""
    return MapList(items=[MapSummary.model_validate(row) for row in await call.read(maps.list_maps)])


async def get_map(call: Call) -> MapDocument:
    """A map's JSON, the active version unless ?version= is given."""
    return MapDocument(await call.read(maps.get_map, call.params["id"], call.query.version))


ROUTES = [
    Route("GET", "/v1/maps", list_maps, "List selector maps", response=MapList, tags=["maps"]),
    Route("GET", "/v1/maps/{id}", get_map, "Get a selector map", query=MapQuery, response=MapDocument,
          tags=["maps"]),
]
