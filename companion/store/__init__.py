"""The durable store: one SQLite file, one connection, numbered migrations. Never imports the web layer.

Areas add their own module here (companion/store/<area>.py) and their own numbered migration file.
"""

from companion.store.db import Database

__all__ = ["Database"]
