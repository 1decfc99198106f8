"""Fixtures for the companion foundation: a real SQLite store in a temp dir and the real app on a test server."""

import copy

import pytest

from companion.api.app import create_app
from companion.config import Settings
from companion.store import Database, pairing
from companion_live import one_party_practice

MAP_DOC = {
    "id": "testpims",
    "display_name": "Test PIMS",
    "version": 1,
    "match": {"hosts": ["*.pims.invalid"]},
    "page_kinds": {
        "consult": {
            "detect": {"paths": ["/consult/*"]},
            "context": {"patient_id": {"locators": [{"id": "patient-id"}]}},  # lint: a fill needs a patient check
            "write": {"note": {"locators": [{"id": "note-box"}]}},
        }
    },
}


def map_doc(version: int = 1, **changes) -> dict:
    """A valid selector map document (optionally another version or with changed keys)."""
    doc = copy.deepcopy(MAP_DOC)
    doc.update(version=version, **changes)
    return doc


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", shipped_maps_dir=None, max_body_bytes=64 * 1024)


@pytest.fixture
def db(settings):
    database = Database(settings.db_path)
    one_party_practice(database)
    yield database
    database.close()


@pytest.fixture
async def client(aiohttp_client, settings, db):
    return await aiohttp_client(create_app(settings, db))


async def pair_token(client, db, role: str = "clinician") -> dict:
    """Pair through the real route with a freshly issued code; returns the Authorization header."""
    code, _ = pairing.issue_code(db, role)
    response = await client.post("/v1/pair", json={"code": code})
    assert response.status == 200, await response.text()
    return {"Authorization": f"Bearer {(await response.json())['token']}"}


@pytest.fixture
async def clinician(client, db) -> dict:
    return await pair_token(client, db, "clinician")


@pytest.fixture
async def admin(client, db) -> dict:
    return await pair_token(client, db, "admin")


def audit_rows(db: Database) -> int:
    """How many audit rows exist (a rejected request must not add one)."""
    with db.reading() as conn:
        return conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def table_count(db: Database, table: str) -> int:
    """Row count of a table."""
    with db.reading() as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
