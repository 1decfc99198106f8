"""Selector maps: the schema admins write, its lint, the offline check against a saved page, and the page scrubber."""

from companion.maps.schema import SelectorMap

__all__ = ["SelectorMap"]
