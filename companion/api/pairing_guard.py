"""Rate limit and lockout for wrong pairing codes (in memory: a restart by the user clears it)."""

import time
from collections import deque


class PairingGuard:
    """Allows `max_failures` wrong codes per `window_s`; then refuses every attempt for `lockout_s`."""

    def __init__(self, max_failures: int, window_s: float, lockout_s: float, clock=time.monotonic):
        self.max_failures, self.window_s, self.lockout_s = max_failures, window_s, lockout_s
        self._clock = clock
        self._failures: deque[float] = deque()
        self._locked_until = 0.0

    def retry_after(self) -> int:
        """Seconds until attempts are allowed again (0 when not locked)."""
        remaining = self._locked_until - self._clock()
        return max(0, int(remaining + 0.999))

    def record_failure(self) -> None:
        """Count a wrong code; lock out when too many fall in the window."""
        now = self._clock()
        self._failures.append(now)
        while self._failures and now - self._failures[0] > self.window_s:
            self._failures.popleft()
        if len(self._failures) >= self.max_failures:
            self._locked_until = now + self.lockout_s
            self._failures.clear()
