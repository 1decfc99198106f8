"""Fixtures for the extension tests live in harness.py so other areas can import them too."""

from tests.extension.harness import companion, extension, paired, replicas  # noqa: F401
