"""Where a page goes back to after a post (``next``): only a path on this site.

A bare word would be taken for a view name by ``redirect`` and another host would be an
open redirect, so anything that is not a local path is ignored."""

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, target: str | None) -> str | None:
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return None
