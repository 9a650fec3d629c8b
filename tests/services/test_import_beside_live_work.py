"""An import into a database in use locks nothing that signing in and intake need: while
an import is held open in its transaction, a sign-in and a registration in other
connections finish at once (PostgreSQL, where the import runs beside live work)."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.models import Category, Region
from hotline.directory.services import directory_import
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import history_import
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.intake import CitizenInput, Intake, order_register
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 5  # seconds: far beyond what a sign-in or a registration takes alone


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


def test_sign_in_and_intake_go_on_while_an_import_is_held_open(on_postgres, tmp_path, monkeypatch):
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=1,
        seed=7,
        out=tmp_path,
        orders_per_month=600,
    )
    history = tmp_path / "orders.jsonl"
    # Small chunks, so that the import is held after its first one; and a file that
    # counts as large, so that nothing but ``exclusive`` keeps it off the first load.
    monkeypatch.setattr(history_import, "CHUNK", 100)
    monkeypatch.setattr(history_import, "FIRST_LOAD_FROM", 200)
    monkeypatch.setattr(history_import, "PARALLEL_FROM", 10**9)
    operator = factories.user(Role.OPERATOR)
    category = Category.objects.filter(level=2).order_by("code").first()
    town = Region.objects.filter(level="town").order_by("code").first()

    written, release = threading.Event(), threading.Event()

    def held(result):
        written.set()
        assert release.wait(60)

    importing, imported = _in_thread(lambda: orders_import(path=history, progress=held))
    try:
        assert written.wait(60), imported
        signing_in, signed_in = _in_thread(
            lambda: Client().post(
                "/login/", {"username": operator.username, "password": "pass-for-tests-1"}
            )
        )
        registering, registered = _in_thread(
            lambda: order_register(
                actor=operator,
                intake=Intake(
                    channel="phone",
                    appeal_type="complaint",
                    content="小区楼下夜间施工噪音扰民，影响休息",
                    category=category,
                    region=town,
                    citizen=CitizenInput(name="李先生", phone="13800000001"),
                ),
                at=local(2024, 10, 20, 9, 0),
            )
        )
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
