"""An answer rendered as DRF's ``Response`` renders it, without the response's machinery.

``Response`` is a template response: the handler renders it after the view, through
``rendered_content`` (the renderer, its context, the content type and charset worked
out again). An answer already in hand as plain data is rendered here at once by the
renderer the request negotiated (``APIView.initial``: a client asking for a format the
API does not give still gets 406 first), into a plain ``HttpResponse`` with the same
bytes and the same headers; the view's own headers (``Allow``) are added by
``finalize_response`` as for any answer."""

from django.http import HttpResponse


def rendered(request, data, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    renderer = request.accepted_renderer
    content_type = renderer.media_type
    if renderer.charset:
        content_type = f"{content_type}; charset={renderer.charset}"
    return HttpResponse(
        renderer.render(data, request.accepted_media_type, {}),
        status=status,
        content_type=content_type,
        headers=headers,
    )
