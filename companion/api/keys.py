"""Typed application keys shared by the app factory, middlewares and routes."""

from aiohttp import web

from companion.config import Settings
from companion.store import Database
from companion.store.writer import Writer

SETTINGS = web.AppKey("settings", Settings)
DB = web.AppKey("db", Database)
DB_WRITER = web.AppKey("db_writer", Writer)
PAIRING_GUARD = web.AppKey("pairing_guard", object)
TOKEN_CACHE = web.AppKey("token_cache", dict)
ROUTE_LIST = web.AppKey("route_list", list)
OPENAPI_CACHE = web.AppKey("openapi_cache", dict)
