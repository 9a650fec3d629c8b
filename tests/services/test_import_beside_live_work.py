"""An import into a database in use locks nothing that signing in and intake need: while
an import is held open in its transaction, a sign-in and a registration in other
connections finish (PostgreSQL, where the import runs beside live work)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from hotline.directory.models import Category, Region
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import history_import
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.intake import CitizenInput, Intake, order_register
from tests import factories
from tests.conftest import local
from tests.services.test_event_chain import history  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)

# Seconds. Held by a lock, they would wait for as long as the import is held (a minute);
# alone they take a fraction of a second, a few seconds on a machine busy with other work.
WAIT = 20


def _in_thread(action):
    """Starts ``action`` on a connection of its own; returns the thread and its outcome."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = action()
        except Exception as error:  # the test reports what the thread got
            outcome["value"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_sign_in_and_intake_go_on_while_an_import_is_held_open(
    on_postgres,
    history,  # noqa: F811 - the fixture
    monkeypatch,
):
    # Small chunks, so that the import is held after its first one; and a file that
    # counts as large, so that nothing but ``exclusive`` keeps it off the first load.
    monkeypatch.setattr(history_import, "CHUNK", 100)
    monkeypatch.setattr(history_import, "FIRST_LOAD_FROM", 200)
    monkeypatch.setattr(history_import, "PARALLEL_FROM", 10**9)
    operator = factories.user(Role.OPERATOR)
    intake = Intake(
        channel="phone",
        appeal_type="complaint",
        content="小区楼下夜间施工噪音扰民，影响休息",
        category=Category.objects.filter(level=2).order_by("code").first(),
        region=Region.objects.filter(level="town").order_by("code").first(),
        citizen=CitizenInput(name="李先生", phone="13800000001"),
    )

    def sign_in():
        login = {"username": operator.username, "password": "pass-for-tests-1"}
        return Client().post("/login/", login)

    def register():
        return order_register(actor=operator, intake=intake, at=local(2024, 10, 20, 9, 0))

    sign_in()  # the site's first request loads what every later one reuses
    written, release = threading.Event(), threading.Event()

    def held(result):
        written.set()
        assert release.wait(60)

    importing, imported = _in_thread(lambda: orders_import(path=history, progress=held))
    try:
        assert written.wait(60), imported
        signing_in, signed_in = _in_thread(sign_in)
        registering, registered = _in_thread(register)
        signing_in.join(WAIT)
        registering.join(WAIT)
        assert not signing_in.is_alive(), "sign-in waited for the import"
        assert not registering.is_alive(), "intake waited for the import"
        assert signed_in["value"].status_code == 302
        assert isinstance(registered["value"], Order), registered
    finally:
        release.set()
        importing.join(60)
    assert imported["value"].orders == len(history.read_text(encoding="utf-8").splitlines())
    assert imported["value"].first_load == []
    numbers = list(Order.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == imported["value"].orders + 1
