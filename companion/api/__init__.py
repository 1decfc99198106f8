"""The companion's HTTP API (aiohttp). Only this package imports aiohttp; the store and domain never do."""
