"""A connection lost while the history import's COPY writes (the driver's own cursor, not
Django's) is raised as Django's database error, which the command reports as the
database gone (exit 3) — not as the driver's, which ended the command with a traceback
and exit 1 when the cut fell inside a COPY."""

import psycopg
import pytest
from django.db import OperationalError, connection

from hotline.orders.bulk import Loader
from hotline.orders.services.history_import import TABLES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_connection_lost_inside_the_copy_is_djangos_database_error(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")

    def lost(*args, **kwargs):
        raise psycopg.OperationalError("consuming input failed: server closed the connection")

    loader = Loader(["orders_order"], first_load=False)
    monkeypatch.setattr(psycopg.Cursor, "copy", lost)
    with pytest.raises(OperationalError, match="server closed the connection"):
        loader.write("orders_order", TABLES["orders_order"], b"1\t...\n")
