"""The OpenAPI schema is the contract: schemathesis generates requests for every
operation from it, sends them to the WSGI app in-process with a supervisor's token,
and checks that nothing is a server error and every response matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from hotline.domain.enums import Role
from hotline.orders.services import dispatch, handling, intake
from tests import factories
from tests.conftest import local

# Enough to reach every operation's error paths while keeping the run near a minute.
MAX_EXAMPLES = 8


# Loaded at import from the WSGI app (no database needed to describe the API). The lazy
# ``schemathesis.pytest.from_fixture`` loader does not work with pytest 9 (it sets
# ``request.node._nodeid``, which pytest 9 no longer has), so every operation becomes
# its own test with its own database transaction.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def in_process(db):
    # Django closes "old" connections around each request; inside a test transaction that
    # would close the test's own connection (Django's test client disconnects it too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def orders(in_process, city, monkeypatch):
    """Orders for the generated requests to find; the schema's example number is the first."""
    first = factories.register(city, local(2026, 3, 2, 9, 0))
    dispatch.order_dispatch(
        order=first,
        lead=city.district,
        co_units=[city.water],
        actor=None,
        at=local(2026, 3, 2, 9, 5),
    )
    handling.order_sign(order=first, actor=None, unit=city.district, at=local(2026, 3, 2, 10))
    answered = factories.register(city, local(2026, 3, 2, 11, 0), confidential=True)
    intake.order_answer(order=answered, actor=None, at=local(2026, 3, 2, 11, 5))
    monkeypatch.setattr("django.utils.timezone.now", lambda: local(2026, 3, 3, 9, 0))
    return [first, answered]


@pytest.fixture
def supervisor_token(city):
    return Token.objects.create(user=city.users[Role.SUPERVISOR]).key


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, orders, supervisor_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {supervisor_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
