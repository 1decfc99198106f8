"""All routes, registered from one list of modules; each module exposes ROUTES: list[Route] and may expose
BACKGROUND: a list of aiohttp cleanup contexts (`async def ctx(app): start; yield; stop`) for periodic work.

A listed module that does not exist yet is skipped, so areas (e.g. pilot) can land independently.
"""

import importlib

from companion.api.spec import Route

MODULES = ["system", "encounters", "notes", "writeback", "context", "maps", "admin_maps", "drift", "speech",
           "pilot"]


def _modules() -> list:
    modules = []
    for name in MODULES:
        try:
            modules.append(importlib.import_module(f"companion.api.routes.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"companion.api.routes.{name}":
                raise
    return modules


def all_routes() -> list[Route]:
    """Every declared route, in module order."""
    return [route for module in _modules() for route in module.ROUTES]


def background_contexts() -> list:
    """The route modules' periodic jobs, as aiohttp cleanup contexts."""
    return [ctx for module in _modules() for ctx in getattr(module, "BACKGROUND", [])]
