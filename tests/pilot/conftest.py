"""Shared pilot fixtures: one generated 30-day pilot per session, copied for tests that change it."""

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from companion.store import Database
from tests.pilot.seed import generate


@pytest.fixture(scope="session")
def seeded_pilot(tmp_path_factory):
    """(data dir, ground truth) of the generated pilot; treat the data dir as read-only (copy it to change it)."""
    data_dir = tmp_path_factory.mktemp("pilot") / "data"
    # Its own thread: Playwright's sync API keeps an event loop running on this one once a browser test has run.
    with ThreadPoolExecutor(1) as pool:
        truth = pool.submit(asyncio.run, generate(data_dir)).result()
    return data_dir, truth


def copy_pilot(seeded_pilot, tmp_path):
    """A private copy of the seeded data dir."""
    source, truth = seeded_pilot
    target = tmp_path / "data"
    shutil.copytree(source, target)
    return target, truth


@pytest.fixture(scope="module")
def pilot_db(seeded_pilot):
    """The seeded store, opened read-mostly for one module."""
    data_dir, truth = seeded_pilot
    db = Database(data_dir / "companion.sqlite3")
    yield db, truth
    db.close()
