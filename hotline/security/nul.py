"""Refuses page requests whose path, query or form values carry the NUL character.

PostgreSQL text cannot hold NUL, so such a value reaches the database as an error (a
500) wherever a page passes it on; nobody types it, and a form cannot carry it by
accident. One check at the door, before any view, answers it with a 400 that says why.
The API and Open311 are left to their serializers, which clean or refuse every field
and answer in their own error shapes.
"""

from django.http import HttpResponse

NUL = "\x00"
MESSAGE = "提交的内容含有无法保存的空字符（NUL），请删除后重新提交"
OWN_CHECKS = ("/api/", "/open311/")


def carries_nul(request) -> bool:
    if NUL in request.path:
        return True
    queries = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        queries.append(request.POST)
    return any(
        NUL in key or any(NUL in value for value in values)
        for query in queries
        for key, values in query.lists()
    )


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(OWN_CHECKS) or not carries_nul(request):
            return self.get_response(request)
        return HttpResponse(MESSAGE, status=400, content_type="text/plain; charset=utf-8")
