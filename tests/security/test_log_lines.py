"""An ordinary 403 or 404 is one line in the log; a server error keeps its traceback."""

import io
import logging
import sys

import pytest

from hotline.domain.enums import Role
from hotline.security.logs import ClientErrorsOneLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_log():
    """What the configured console handler would print for django.request."""
    console = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    assert any(isinstance(f, ClientErrorsOneLine) for f in console.filters)
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    for kept in console.filters:
        handler.addFilter(kept)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield written
    logger.removeHandler(handler)


def test_a_refused_page_is_one_line(client, city, request_log):
    client.force_login(city.users[Role.OPERATOR])
    assert client.get("/office/users/").status_code == 403
    assert client.get("/orders/20269999999/").status_code == 404
    lines = request_log.getvalue().splitlines()
    assert lines == [
        "Forbidden (Permission denied): /office/users/",
        "Not Found: /orders/20269999999/",
    ]


def test_a_server_error_keeps_its_traceback():
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert ClientErrorsOneLine().filter(record) and record.exc_info is not None
