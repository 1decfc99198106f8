"""Helpers for tests that drive the replica pages (shared by the replica tests and the end-to-end harness)."""

from __future__ import annotations

from tests.replicas.server import HOST_RESOLVER_RULES, ReplicaServer

CHROMIUM = "/usr/bin/chromium"


def chromium_args(extension_dir: str | None = None) -> list[str]:
    """Debian Chromium flags for replica pages: PIMS host names resolve to 127.0.0.1; optionally load an
    unpacked extension (then launch with `launch_persistent_context(..., headless=True)`)."""
    args = [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--host-resolver-rules={HOST_RESOLVER_RULES}",
    ]
    if extension_dir:
        args += [f"--disable-extensions-except={extension_dir}", f"--load-extension={extension_dir}"]
    return args


def open_replica(page, server: ReplicaServer, pims: str, path: str | None = None, *, drift: bool = False):
    """Open a replica page by its PIMS host name and wait until its late content has rendered."""
    page.goto(server.url(pims, path, drift=drift))
    wait_ready(page)
    return page


def wait_ready(page, timeout: float = 15000) -> None:
    """Wait for window.__replica.isReady() (late fetches done, editors mounted)."""
    page.wait_for_function("() => window.__replica && window.__replica.isReady()", timeout=timeout)
