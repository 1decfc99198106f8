"""DNS-rebinding defence: the Host header must name this loopback server and its port."""

from aiohttp import web

from companion.api.errors import ApiError
from companion.api.keys import SETTINGS
from companion.config import LOOPBACK_HOSTS


def _split_host(value: str) -> tuple[str, str | None]:
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        return name.lower(), rest[1:] if rest.startswith(":") else None
    name, sep, port = value.rpartition(":")
    return (name.lower(), port) if sep else (value.lower(), None)


def allowed_names(request: web.Request) -> set[str]:
    """Loopback names, plus the configured bind address when remote binding was explicitly allowed."""
    settings = request.app[SETTINGS]
    names = set(LOOPBACK_HOSTS)
    if settings.allow_remote:
        names.add(settings.host.strip("[]").lower())
    return names


@web.middleware
async def host_middleware(request: web.Request, handler):
    """Refuse requests whose Host is not ours (a rebinding page would send its own domain)."""
    name, port = _split_host(request.headers.get("Host", ""))
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    listening_port = str(sockname[1]) if sockname else None
    if name not in allowed_names(request) or (listening_port and port != listening_port):
        raise ApiError(403, "host_forbidden", "the Host header must be this companion's loopback address and port")
    return await handler(request)
