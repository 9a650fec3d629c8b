"""The API documentation pages load with every outside host unreachable: no font, script
or badge comes from the internet (hotline offices run on closed networks)."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_api_docs_load_with_the_outside_network_blocked(new_page, live_server, path):
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    local = urlsplit(live_server.url).hostname
    outside, failed = [], []

    def only_local(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == local:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(path)
    page.get_by_role("heading", name="12345 热线平台 API").first.wait_for()
    page.get_by_text("提交来电记录").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert failed == []
