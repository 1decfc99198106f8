"""Vetscribe companion: the local service between the browser extension and the clinic's data."""

__version__ = "0.1.0"
