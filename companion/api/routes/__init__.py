"""All routes, registered from one list of modules; each module exposes ROUTES: list[Route].

A listed module that does not exist yet is skipped, so areas (e.g. pilot) can land independently.
"""

import importlib

from companion.api.spec import Route

MODULES = ["system", "encounters", "notes", "writeback", "context", "maps", "admin_maps", "drift", "speech",
           "pilot"]


def all_routes() -> list[Route]:
    """Every declared route, in module order."""
    routes: list[Route] = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"companion.api.routes.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"companion.api.routes.{name}":
                continue
            raise
        routes.extend(module.ROUTES)
    return routes
