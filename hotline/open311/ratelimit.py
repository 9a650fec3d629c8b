"""A small fixed-window limiter on Django's cache: how many requests one client
address may post per window (settings HOTLINE_OPEN311_POST_LIMIT / _WINDOW)."""

from django.core.cache import cache


def allow(scope: str, client: str, *, limit: int, window: int) -> bool:
    key = f"hotline:ratelimit:{scope}:{client}"
    if cache.add(key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def client_address(request) -> str:
    """REMOTE_ADDR; behind a reverse proxy, the proxy must set it to the client's."""
    return request.META.get("REMOTE_ADDR") or "unknown"
