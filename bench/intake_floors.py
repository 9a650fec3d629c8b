"""The floors under one registration, served over HTTP: a minimal Django view and a bare
WSGI function, each inserting one row (used by ``bench/intake_cpu.py``).

    gunicorn --chdir bench intake_floors:django_floor
    gunicorn --chdir bench intake_floors:wsgi_floor

Both read ``DATABASE_URL`` and take the JSON body of a registration; the Django view
inserts it into ``floor_intake`` inside a transaction through Django's connection (no
middleware, no app, no ORM model: what any Django view that writes a row pays), the
WSGI function through one psycopg connection of its own.
"""

import json
import os

import dj_database_url
import psycopg

TABLE = """
CREATE TABLE IF NOT EXISTS floor_intake (
    id bigserial PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(),
    content text NOT NULL, phone varchar(20) NOT NULL, region varchar(12) NOT NULL
)
"""
INSERT = "INSERT INTO floor_intake (content, phone, region) VALUES (%s, %s, %s) RETURNING id"


def _django_application():
    from django.conf import settings

    database = dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=None)
    settings.configure(
        DEBUG=False,
        SECRET_KEY="floor",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        DATABASES={"default": database},
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def register(request):
    from django.db import connection, transaction
    from django.http import JsonResponse

    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT, [body["content"], body["citizen"]["phone"], body["region"]])
        (number,) = cursor.fetchone()
    return JsonResponse({"id": number}, status=201)


def _urls():
    from django.urls import path

    return [path("api/orders/", register)]


_django = None


def __getattr__(name):
    # Made on first use: the Django floor's settings are configured only in the process
    # that serves it, and Django reads ``urlpatterns`` from ROOT_URLCONF after that.
    global _django
    if name == "urlpatterns":
        return _urls()
    if name == "django_floor":
        _django = _django or _django_application()
        return _django
    raise AttributeError(name)


_connection = None


def wsgi_floor(environ, start_response):
    global _connection
    if _connection is None:
        _connection = psycopg.connect(os.environ["DATABASE_URL"])
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = json.loads(environ["wsgi.input"].read(size))
    with _connection.transaction():
        (number,) = _connection.execute(
            INSERT, [body["content"], body["citizen"]["phone"], body["region"]]
        ).fetchone()
    answer = json.dumps({"id": number}).encode()
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))],
    )
    return [answer]
