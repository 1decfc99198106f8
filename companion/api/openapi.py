"""Generate the OpenAPI 3.1 document from the route declarations and their pydantic models."""

import re

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from companion import __version__
from companion.api.models.common import Problem
from companion.api.spec import Route

REF = "#/components/schemas/{model}"
PATH_PARAM = re.compile(r"{(\w+)}")


def _query_parameters(model: type[BaseModel], schemas: dict) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


def _operation(route: Route, refs: dict) -> dict:
    operation: dict = {"operationId": route.operation_id, "summary": route.summary, "tags": route.tags}
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": r"^[A-Za-z0-9_.:-]+$"}}
              for name in PATH_PARAM.findall(route.path)]
    if route.query is not None:
        params += _query_parameters(route.query, refs)
    if params:
        operation["parameters"] = params
    if route.raw_body:
        operation["requestBody"] = {"required": True, "content": {
            media: {"schema": {"type": "string", "format": "binary"}} for media in route.raw_body}}
    elif route.body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": refs[(route.body, "validation")]}}}
    success: dict = {"description": "Success"}
    if route.response is not None:
        success["content"] = {"application/json": {"schema": refs[(route.response, "serialization")]}}
    operation["responses"] = {
        str(route.status): success,
        "default": {"description": "Error (problem+json)",
                    "content": {"application/problem+json": {"schema": refs[(Problem, "serialization")]}}},
    }
    if route.role is not None:
        operation["security"] = [{"bearer": []}]
        operation["description"] = f"Needs a {route.role} token."
    return operation


def build_openapi(routes: list[Route]) -> dict:
    """The whole document: paths from `routes`, components from the models they name."""
    wanted = {(Problem, "serialization")}
    for route in routes:
        if route.body is not None:
            wanted.add((route.body, "validation"))
        if route.response is not None:
            wanted.add((route.response, "serialization"))
    refs, defs = models_json_schema(sorted(wanted, key=lambda pair: (pair[0].__name__, pair[1])), ref_template=REF)
    paths: dict = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Vetscribe companion API", "version": __version__,
                 "description": "Local API between the vetscribe browser extension and the companion."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
