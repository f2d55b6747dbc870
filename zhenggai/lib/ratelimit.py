"""At most N attempts per key in a window, counted in the shared cache, exact under concurrency.

Checking a counter and then incrementing it lets every request that arrives at once pass the
check (100 concurrent guesses were all evaluated against a limit of 5). Here an attempt is
admitted only by *claiming a place*: each of the window's N places is a cache key that only one
`cache.add` can create (an INSERT on the database cache, an atomic add on memcached or Redis),
so check and count are one step and at most N attempts pass, however many arrive together.

Windows are fixed (numbered from the epoch), so a place's key is never reused after it expires
and no two requests can both revive it; a burst across a window's edge may see up to 2N.
"""

import hashlib
import time

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    return f"ratelimit:{scope}:{hashlib.sha256(ident.encode()).hexdigest()}"


def _places(scope: str, ident: str, limit: int, window_seconds: int) -> list[str]:
    window = int(time.time() // window_seconds)
    base = _key(scope, ident)
    return [f"{base}:{window}:{n}" for n in range(limit)]


def hit(scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Admit one attempt of `ident`: True while fewer than `limit` were admitted in this window."""
    places = _places(scope, ident, limit, window_seconds)
    taken = cache.get_many(places)  # one read: a flood past the limit costs one query each
    for place in places:
        if place not in taken and cache.add(place, 1, window_seconds):
            return True
    return False


def is_locked(scope: str, ident: str, limit: int, window_seconds: int) -> bool:
    """Whether every place of this window is taken (nothing is claimed)."""
    places = _places(scope, ident, limit, window_seconds)
    return len(cache.get_many(places)) >= limit


def reset(scope: str, ident: str, limit: int, window_seconds: int) -> None:
    cache.delete_many(_places(scope, ident, limit, window_seconds))
