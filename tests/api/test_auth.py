"""Systems authenticate with a token, people in a browser with their session."""

import pytest
from rest_framework.test import APIClient

from hotline.domain.enums import Role
from tests.api.conftest import error_of


@pytest.mark.parametrize(
    "url", ["/api/orders/", "/api/orders/20260000001/", "/api/regions/", "/api/calls/"]
)
def test_anonymous_requests_are_401(db, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = client.get("/api/orders/")
    assert (response.status_code, error_of(response)["code"]) == (401, "authentication_failed")


def test_a_token_authenticates(city, client_for):
    assert client_for(Role.LEADER).get("/api/orders/").status_code == 200


def test_a_browser_session_authenticates(city):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(city.users[Role.SUPERVISOR])
    assert client.get("/api/units/").status_code == 200
    # Writes from a session need the CSRF token, as every form of the site does.
    response = client.post("/api/orders/", {}, format="json")
    assert (response.status_code, error_of(response)["code"]) == (403, "not_permitted")


def test_the_schema_and_its_docs_page_are_served_from_local_files(db):
    client = APIClient()
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/orders/{number}/dispatch/" in schema.json()["paths"]
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_an_administrator_creates_a_systems_token_in_the_admin(city, client):
    from hotline.accounts.models import User

    admin = User.objects.create_superuser("root", password="pass-for-tests-1", role="administrator")
    client.force_login(admin)
    system = city.users[Role.OPERATOR]
    page = client.post("/admin/authtoken/tokenproxy/add/", {"user": system.pk})
    assert page.status_code == 302
    key = system.auth_token.key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/orders/").status_code == 200
