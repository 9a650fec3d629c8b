"""Fixed-window counters on Django's cache, per scope and client: how many requests
one address may post, how many sign-in failures a name may have. The cache is shared
by every app server (Redis in production), so the limits hold across them."""

from django.core.cache import cache


def _key(scope: str, client: str) -> str:
    return f"hotline:ratelimit:{scope}:{client}"


def hit(scope: str, client: str, *, window: int) -> int:
    """Counts one more in the current window and returns the count."""
    key = _key(scope, client)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def count(scope: str, client: str) -> int:
    return cache.get(_key(scope, client), 0)


def reset(scope: str, client: str) -> None:
    cache.delete(_key(scope, client))


def allow(scope: str, client: str, *, limit: int, window: int) -> bool:
    return hit(scope, client, window=window) <= limit


def client_address(request) -> str:
    """REMOTE_ADDR. Behind a reverse proxy, the proxy must set it to the client's
    (docs/operations.md); trusting X-Forwarded-For here would let anyone choose
    their own bucket."""
    return request.META.get("REMOTE_ADDR") or "unknown"
