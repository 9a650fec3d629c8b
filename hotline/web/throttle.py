"""Sign-in throttling: after HOTLINE_LOGIN_FAILURE_LIMIT failures for one user name
from one address, that pair waits HOTLINE_LOGIN_LOCK_SECONDS."""

from django.conf import settings

from hotline.security import ratelimit

SCOPE = "login-failures"


def _client(username: str, address: str) -> str:
    return f"{address}:{username.strip().lower()[:150]}"


def locked(username: str, address: str) -> bool:
    return (
        ratelimit.count(SCOPE, _client(username, address)) >= settings.HOTLINE_LOGIN_FAILURE_LIMIT
    )


def failed(username: str, address: str) -> None:
    ratelimit.hit(SCOPE, _client(username, address), window=settings.HOTLINE_LOGIN_LOCK_SECONDS)


def succeeded(username: str, address: str) -> None:
    ratelimit.reset(SCOPE, _client(username, address))
