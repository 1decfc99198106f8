"""DNS-rebinding defence: the Host header must name this loopback server and its port."""

import ipaddress

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


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(request: web.Request, name: str) -> bool:
    """Loopback names always; with --allow-remote also IP literals (a rebinding attack needs a DNS name)."""
    if name in allowed_names(request):
        return True
    return request.app[SETTINGS].allow_remote and _is_ip_literal(name)


@web.middleware
async def host_middleware(request: web.Request, handler):
    """Refuse requests whose Host is not ours (a rebinding page would send its own domain)."""
    name, port = _split_host(request.headers.get("Host", ""))
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    listening_port = str(sockname[1]) if sockname else None
    if not host_allowed(request, name) or (listening_port and port != listening_port):
        raise ApiError(403, "host_forbidden", "the Host header must be this companion's loopback address and port")
    return await handler(request)
