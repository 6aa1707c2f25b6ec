"""The one retry policy of every call to another service: the back-office (recours/outbox.py) and Meta's Graph API.

- Backoff: after the n-th failure, base·2^(n-1) seconds, capped, with "equal jitter" — 50 to 100 % of that delay
  (M. Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015). The kept half means a retry never
  follows a failure at once; the random half spreads the retries of calls that failed together (an outage).
- ``Retry-After`` (RFC 9110 §10.2.3) is a floor, not a replacement: the delay is the longer of the backoff and
  what the server asked, then capped, so that a broken or hostile header cannot park a delivery for days. Both
  forms are read: delay-seconds (a whole number) and HTTP-date (IMF-fixdate and the obsolete RFC 850 and asctime
  forms a recipient must accept, RFC 9110 §5.6.7); a date already past means no wait; anything else (a decimal,
  a negative number, garbage) is treated as no header at all.

Why this code and not a library's: the parsing is urllib3's ``Retry.parse_retry_after`` — installed with
requests, maintained, and what requests itself honours. urllib3's backoff is not used: ``Retry.get_backoff_time``
waits 0 before the first retry, adds its jitter instead of scaling the delay, and counts failures from the
in-memory history of one urllib3 request, whereas the outbox keeps its count in a database row across restarts
and the Graph client runs on aiohttp. Neither tenacity nor backoff is installed, and both decide when to retry
around a function call, not how long a row should wait: the arithmetic below is all that is left.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from typing import Callable

from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

# The cap is the policy's, not urllib3's (whose default would silently stop at 6 hours).
_HEADER = Retry(total=0, retry_after_max=sys.maxsize)
_MAX_DOUBLINGS = 62  # 2**62 times any base is past any cap; beyond it the float power would overflow


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date); None when absent or invalid."""
    if value is None:
        return None
    try:
        return float(_HEADER.parse_retry_after(str(value)))
    except (InvalidHeader, ValueError, OverflowError):  # not a number nor a date; a date out of range
        return None


@dataclass(frozen=True)
class RetryPolicy:
    """Delays between attempts: ``base`` after the first failure, doubled at each one, at most ``cap`` seconds."""

    base: float
    cap: float
    rng: Callable[[], float] = field(default=random.random, repr=False, compare=False)  # in [0, 1)

    def backoff(self, failures: int) -> float:
        """The delay after the ``failures``-th failed attempt, jittered (50-100 %)."""
        doublings = min(max(0, failures - 1), _MAX_DOUBLINGS)
        return min(self.cap, self.base * 2.0**doublings) * (0.5 + self.rng() / 2)

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """The wait before the next attempt: the backoff, or longer when the server asked (``Retry-After``)."""
        backoff = self.backoff(failures)
        if retry_after is None:
            return backoff
        return max(backoff, min(retry_after, self.cap))
