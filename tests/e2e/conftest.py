"""Fixtures for the end-to-end flows: the shared harness (real companion, Chromium with the extension, replicas)."""

from tests.extension.harness import companion, extension, paired, replicas  # noqa: F401
