"""Counting failures per key in the shared cache, to lock out password guessing."""

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    return f"ratelimit:{scope}:{hashlib.sha256(ident.encode()).hexdigest()}"


def is_locked(scope: str, ident: str, limit: int) -> bool:
    return cache.get(_key(scope, ident), 0) >= limit


def fail(scope: str, ident: str, window_seconds: int) -> int:
    """Count one failure; the window starts at the first failure."""
    key = _key(scope, ident)
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
        return 1


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
