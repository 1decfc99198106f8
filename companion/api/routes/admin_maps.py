"""Admin selector-map routes: install a new version, list versions, roll back."""

from companion.api.models.maps import MapInstall, MapRef, MapVersion, MapVersionList, Rollback
from companion.api.spec import Call, Route
from companion.store import maps
from companion.store.errors import InvalidInput
from companion.store.map_files import validate_map


def lint_map(body: dict) -> dict:
    """Schema and lint errors (the same rules as `vetscribe selectors validate`) → 422 with JSON paths."""
    from companion.maps.lint import problem_errors, validate_data

    report = validate_data(body)
    if not report.ok:
        raise InvalidInput(f"the selector map has {len(report.errors)} error(s); nothing was installed",
                           problem_errors(report))
    return validate_map(body)


async def install_map(call: Call) -> MapRef:
    """Validate (schema and lint) and install a map as a new active version."""
    body = lint_map(call.body.map)
    return MapRef.model_validate(await call.db(maps.install, call.actor, body))


async def map_versions(call: Call) -> MapVersionList:
    """Every stored version of a map."""
    rows = await call.read(maps.versions, call.params["id"])
    return MapVersionList(items=[MapVersion.model_validate(row) for row in rows])


async def rollback_map(call: Call) -> MapRef:
    """Make a stored version active again."""
    return MapRef.model_validate(await call.db(maps.rollback, call.actor, call.params["id"], call.body.version))


ROUTES = [
    Route("POST", "/v1/admin/maps", install_map, "Install a selector map version", role="admin", body=MapInstall,
          response=MapRef, status=201, tags=["admin"]),
    Route("GET", "/v1/admin/maps/{id}/versions", map_versions, "List a map's versions", role="admin",
          response=MapVersionList, tags=["admin"]),
    Route("POST", "/v1/admin/maps/{id}/rollback", rollback_map, "Roll a map back to a stored version",
          role="admin", body=Rollback, response=MapRef, tags=["admin"]),
]
