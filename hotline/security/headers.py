"""Headers Django's SecurityMiddleware does not set: a content security policy that
allows only this server's own scripts and styles, a permissions policy, and
``Cache-Control: no-store`` on every answer the application makes (pages, API and
Open311 carry citizens' data, which no browser or proxy cache may keep; the static
files, served before this point, stay cacheable)."""

from django.conf import settings

# The API documentation pages come from drf-spectacular's templates, which start
# Swagger UI and ReDoc with a short inline script: they have a policy of their own.
DOCS_PREFIXES = ("/api/docs/", "/api/redoc/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = (
            settings.HOTLINE_DOCS_CONTENT_SECURITY_POLICY
            if request.path.startswith(DOCS_PREFIXES)
            else settings.HOTLINE_CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response
