"""A small in-process sliding-window rate limiter for the open (public) forms.

Lantern runs as one process per server, so counting in memory is enough to
stop one address flooding the triage queue; the count is per client address.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["RateLimiter"]

#: How many addresses are tracked before old ones are swept out.
_PURGE_AT = 10_000


class RateLimiter:
    """Allows at most `limit` events per key within `window_seconds`."""

    def __init__(
        self,
        *,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window_seconds <= 0:
            raise ValueError("limit must be at least 1 and the window positive")
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an attempt for `key`; False (and nothing recorded) when over the limit."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] >= self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self._events) > _PURGE_AT:
                self._purge(now)
            return True

    def _purge(self, now: float) -> None:
        # Forget addresses whose last attempt has left the window, so memory follows live traffic.
        for stale in [k for k, v in self._events.items() if not v or now - v[-1] >= self.window]:
            del self._events[stale]
