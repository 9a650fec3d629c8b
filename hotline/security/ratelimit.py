"""Fixed-window counters on Django's cache, per scope and client: how many requests
one address may post, how many sign-in failures a name may have. The cache is shared
by every app server (Redis in production), so the limits hold across them.

When the shared cache cannot be reached, the counters are kept in this process's
memory until it is back, with a warning in the log: the limits then hold per app
server rather than across them, and the office keeps signing in and taking requests
instead of answering errors."""

import functools
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_local = LocMemCache("hotline-ratelimit", {})
_shared_down = False


def _on_store(operation):
    """``operation(store)`` on the shared cache, or on local memory while it is down."""
    global _shared_down
    try:
        result = operation(cache)
    except RedisError as error:
        if not _shared_down:
            logger.warning("共享缓存不可用（%s）：限流计数暂存于本进程内存", error)
        _shared_down = True
        return operation(_local)
    if _shared_down:
        logger.warning("共享缓存已恢复：限流计数回到共享缓存")
        _shared_down = False
    return result


def _key(scope: str, client: str) -> str:
    return f"hotline:ratelimit:{scope}:{client}"


def _hit(store, key: str, window: int) -> int:
    if store.add(key, 1, timeout=window):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # the window ran out between add and incr
        store.set(key, 1, timeout=window)
        return 1


def hit(scope: str, client: str, *, window: int) -> int:
    """Counts one more in the current window and returns the count."""
    key = _key(scope, client)
    return _on_store(lambda store: _hit(store, key, window))


def count(scope: str, client: str) -> int:
    key = _key(scope, client)
    return _on_store(lambda store: store.get(key, 0))


def reset(scope: str, client: str) -> None:
    key = _key(scope, client)
    _on_store(lambda store: store.delete(key))


def allow(scope: str, client: str, *, limit: int, window: int) -> bool:
    return hit(scope, client, window=window) <= limit


def _trusted_networks() -> tuple:
    return _networks(tuple(settings.HOTLINE_TRUSTED_PROXIES))


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_proxy(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is one of the office's reverse
    proxies (HOTLINE_TRUSTED_PROXIES), whose ``X-Forwarded-For`` is then read from the
    right, past the trusted proxies, to the first address they did not add. Nobody
    else's ``X-Forwarded-For`` counts: anyone could choose their own bucket with it."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    networks = _trusted_networks()
    if not _is_proxy(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        if not _is_proxy(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # not an address: the proxy passed on what the client wrote
    return remote
