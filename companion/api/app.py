"""The aiohttp application factory: store, middlewares, routes from one list, generated OpenAPI."""

from aiohttp import web

from companion.api.keys import DB, DB_WRITER, OPENAPI_CACHE, PAIRING_GUARD, ROUTE_LIST, SETTINGS, TOKEN_CACHE
from companion.api.middlewares import MIDDLEWARES
from companion.api.middlewares.origin import add_cors_headers
from companion.api.pairing_guard import PairingGuard
from companion.api.routes import all_routes, background_contexts
from companion.api.spec import make_handler
from companion.config import Settings
from companion.logs import log_event
from companion.store import Database, maps
from companion.store.map_files import load_shipped
from companion.store.writer import Writer


def open_store(settings: Settings) -> Database:
    """Open (and migrate) the store and seed the shipped selector maps it does not have yet."""
    db = Database(settings.db_path)
    installed = maps.seed_shipped(db, load_shipped(settings.shipped_maps_dir))
    if installed:
        log_event("shipped_maps_seeded", count=len(installed))
    return db


def create_app(settings: Settings, db: Database | None = None) -> web.Application:
    """Build the application; `db` may be passed in (tests), else it is opened from settings."""
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[DB] = db if db is not None else open_store(settings)
    app[DB_WRITER] = Writer(app[DB])
    app[PAIRING_GUARD] = PairingGuard(settings.pairing_max_failures, settings.pairing_failure_window_s,
                                      settings.pairing_lockout_s)
    routes = all_routes()
    for route in routes:
        app.router.add_route(route.method, route.path, make_handler(route), name=route.operation_id)
    app[ROUTE_LIST] = routes
    app[TOKEN_CACHE] = {}
    app[OPENAPI_CACHE] = {}
    app.on_response_prepare.append(add_cors_headers)
    app.cleanup_ctx.extend(background_contexts())
    app.on_cleanup.append(_close_store)
    return app


async def _close_store(app: web.Application) -> None:
    app[DB_WRITER].close()
    app[DB].close()
