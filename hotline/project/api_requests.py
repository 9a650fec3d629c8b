"""Django's session, authentication, message and locale middleware, passed by for a
request to the API that carries a token (``Authorization: Token …``).

Such a request is authenticated by its token alone: DRF's ``TokenAuthentication``
comes first and either finds the token's user or refuses (401), so the session is
never consulted — no session is read or written, no cookie set, and no messages are
kept for a client that is not a browser. The site has one language and no language
prefixes in its addresses, so the locale middleware's answer is known without reading
the request: its language is activated and its two headers (``Content-Language``,
``Vary: Accept-Language``) set as Django's middleware sets them. Everything else —
the size limit, the security headers, CSRF (DRF's views are exempt from Django's
check and enforce it for session-authenticated requests), the common middleware —
runs as for every request. A browser's request (a session, no token) passes through
all of it as before."""

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.middleware.locale import LocaleMiddleware as _Locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

API = "/api/"


def by_token(request) -> bool:
    """An API request with a ``Token`` authorization, as DRF's ``TokenAuthentication``
    reads the header (split on ASCII white space, the keyword in any case)."""
    known = getattr(request, "_by_token", None)
    if known is None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        words = header.encode("iso-8859-1", "replace").split() if header else ()
        known = request._by_token = bool(
            words and words[0].lower() == b"token" and request.path.startswith(API)
        )
    return known


class _PassedByForTokens:
    def __call__(self, request):
        if by_token(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_PassedByForTokens, _Sessions):
    pass


class AuthenticationMiddleware(_PassedByForTokens, _Authentication):
    pass


class MessageMiddleware(_PassedByForTokens, _Messages):
    pass


class LocaleMiddleware(_Locale):
    def __init__(self, get_response):
        super().__init__(get_response)
        self.one_language = len(settings.LANGUAGES) == 1

    def __call__(self, request):
        if not (self.one_language and by_token(request)):
            return super().__call__(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = language = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
