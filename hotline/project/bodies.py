"""Refuses a request whose declared body is larger than any the site takes, before any
middleware or view reads it: the proxy's limit is not the only one, and a body read
into memory by a form or a parser is already too late. Attachments keep their own
smaller limit (HOTLINE_ATTACHMENT_MAX_BYTES). It sits with the project's wiring because it answers
in the shape of each interface it stands before (the API's errors, the pages' text)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from hotline.api.errors import error_body


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RefuseOversizedBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.HOTLINE_REQUEST_MAX_BYTES
        if _declared_length(request) <= limit:
            return self.get_response(request)
        message = f"提交的内容过大（上限 {limit // 2**20} MB）"
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("too_large", message), status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
