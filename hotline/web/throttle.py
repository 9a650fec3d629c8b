"""Sign-in throttling, decided before any password is hashed (a hash costs the server
real CPU time, so a flood of tries must stop before it, not after):

- one user name from one address: HOTLINE_LOGIN_FAILURE_LIMIT failures, then that pair
  waits HOTLINE_LOGIN_LOCK_SECONDS;
- one address, whatever the names (random names are never locked by the first rule):
  HOTLINE_LOGIN_ADDRESS_FAILURE_LIMIT failures in the same time;
- the whole site: HOTLINE_LOGIN_SITE_FAILURE_LIMIT failures per
  HOTLINE_LOGIN_SITE_WINDOW seconds, for a flood spread over many addresses.
"""

from django.conf import settings

from hotline.security import ratelimit

SCOPE = "login-failures"
ADDRESS_SCOPE = "login-failures-address"
SITE_SCOPE = "login-failures-site"
SITE = "all"


def _client(username: str, address: str) -> str:
    return f"{address}:{username.strip().lower()[:150]}"


def refusal(username: str, address: str) -> str:
    """Why this try is refused without checking its password, or "" when it may go on."""
    minutes = settings.HOTLINE_LOGIN_LOCK_SECONDS // 60
    if (
        ratelimit.count(SCOPE, _client(username, address)) >= settings.HOTLINE_LOGIN_FAILURE_LIMIT
        or ratelimit.count(ADDRESS_SCOPE, address) >= settings.HOTLINE_LOGIN_ADDRESS_FAILURE_LIMIT
    ):
        return f"登录失败次数过多，请 {minutes} 分钟后再试"
    if ratelimit.count(SITE_SCOPE, SITE) >= settings.HOTLINE_LOGIN_SITE_FAILURE_LIMIT:
        return "登录尝试过于频繁，请稍后再试"
    return ""


def failed(username: str, address: str) -> None:
    window = settings.HOTLINE_LOGIN_LOCK_SECONDS
    ratelimit.hit(SCOPE, _client(username, address), window=window)
    ratelimit.hit(ADDRESS_SCOPE, address, window=window)
    ratelimit.hit(SITE_SCOPE, SITE, window=settings.HOTLINE_LOGIN_SITE_WINDOW)


def succeeded(username: str, address: str) -> None:
    ratelimit.reset(SCOPE, _client(username, address))
