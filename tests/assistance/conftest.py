import pytest

from hotline.domain.enums import Role


@pytest.fixture
def signed_in(client, city):
    """``signed_in(role)`` → the test client, signed in as the small city's user of that role."""

    def sign_in(role: Role):
        client.force_login(city.users[role])
        return client

    return sign_in
