"""Helpers for tests that drive the replica pages (shared by the replica tests and the end-to-end harness)."""

from __future__ import annotations

from tests.replicas.server import ReplicaServer


def open_replica(page, server: ReplicaServer, pims: str, path: str | None = None, *, drift: bool = False):
    """Open a replica page by its PIMS host name and wait until its late content has rendered."""
    page.goto(server.url(pims, path, drift=drift))
    wait_ready(page)
    return page


def wait_ready(page, timeout: float = 15000) -> None:
    """Wait for window.__replica.isReady() (late fetches done, editors mounted)."""
    page.wait_for_function("() => window.__replica && window.__replica.isReady()", timeout=timeout)
