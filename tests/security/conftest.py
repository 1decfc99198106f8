"""Fixtures for the browser-side security tests: the shared harness (real companion, real extension, replicas)."""

from tests.extension.harness import companion, extension, paired, replicas  # noqa: F401
