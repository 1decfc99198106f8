"""A small blocking HTTP client (stdlib only) with timeouts and retries, for the optional remote backends.

The note engine never imports aiohttp; callers on an event loop run these in an executor.
"""

import json
import time
import urllib.error
import urllib.request

from companion.notes.errors import BackendError

RETRY_STATUSES = {429, 500, 502, 503, 504}


def post(url: str, body: bytes, headers: dict[str, str], timeout: float, retries: int, backoff: float) -> dict:
    """POST and return the decoded JSON answer; retry transient failures; raise `BackendError` otherwise."""
    last_error = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * (2 ** (attempt - 1)))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            last_error = f"HTTP {exc.code} from {url}"
            if exc.code not in RETRY_STATUSES:
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            last_error = f"{url} unreachable ({getattr(exc, 'reason', exc)})"
        except (json.JSONDecodeError, UnicodeDecodeError):
            last_error = f"{url} answered something that is not JSON"
            break
    raise BackendError(last_error)
