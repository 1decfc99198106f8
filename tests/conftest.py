"""Suite-wide ordering: tests that run their own asyncio event loop go before the browser tests.

Playwright's sync API (pytest-playwright's session-scoped `playwright` fixture, started by the first browser test)
leaves an event loop marked running on the main thread until the session ends; after that, pytest-asyncio,
pytest-aiohttp and `asyncio.run` refuse to start a loop of their own. Running every loop-owning test first keeps
both kinds in one pytest session. The sort is stable, so each group keeps its collection order.
"""

import inspect


def _is_async(func) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)


def _needs_own_event_loop(item) -> bool:
    if _is_async(getattr(item, "function", None)):
        return True
    fixture_info = getattr(item, "_fixtureinfo", None)
    if fixture_info is None:
        return False
    return any(_is_async(fixturedef.func)
               for fixturedefs in fixture_info.name2fixturedefs.values() for fixturedef in fixturedefs)


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: 0 if _needs_own_event_loop(item) else 1)
