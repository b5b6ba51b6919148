"""Fixed-window request limits kept in the cache (local memory, or Redis when served).

The pages that mail someone or take an invitation token (the password reset request, the
invitation acceptance) count requests per e-mail address and per client address; a limit
reached answers 429 with the time to wait. Limits live in ``settings.RATE_LIMITS``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core.http import client_address

logger = logging.getLogger("territoria.security")


def _hit(scope: str, kind: str, value: str, *, limit: int, window: int) -> int | None:
    """Count one request; the seconds to wait when it is over ``limit``, else None."""
    now = time.time()
    bucket = int(now // window)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{kind}:{digest}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, math.ceil((bucket + 1) * window - now))
    return None


def hit(scope: str, request: HttpRequest, *, email: str | None = None) -> int | None:
    """Count a request to ``scope`` from this client (and for ``email``); the seconds to wait
    when a limit is reached (the request must then be refused), else None."""
    rule = settings.RATE_LIMITS[scope]
    window = int(rule["minutes"]) * 60
    address = client_address(request) or "-"
    waits = [_hit(scope, "address", address, limit=int(rule["per_address"]), window=window)]
    if email:
        waits.append(
            _hit(scope, "email", email.strip().lower(), limit=int(rule["per_email"]), window=window)
        )
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        logger.warning(
            "%s throttled ip=%s email=%s retry_after=%ds", scope, address, email or "-", wait
        )
    return wait
