"""Who may set whose password, and what a password must be."""

import pytest

from hotline.accounts.services import InvalidAccount, user_create, user_password_reset
from hotline.domain.enums import Role
from hotline.domain.permissions import NotPermitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", [Role.SUPERVISOR, Role.LEADER])
def test_only_administrators_reset_the_passwords_of_supervisors_and_leaders(city, target):
    supervisor = city.users[Role.SUPERVISOR]
    other = user_create(username=f"other-{target}", role=target, password="x", actor=None)
    before = other.password
    with pytest.raises(NotPermitted):
        user_password_reset(user=other, actor=supervisor)
    other.refresh_from_db()
    assert other.password == before
    admin = user_create(username="root", role="administrator", password="x", actor=None)
    assert user_password_reset(user=other, actor=admin)


def test_a_supervisor_still_resets_an_operators_password(city):
    operator = city.users[Role.OPERATOR]
    assert user_password_reset(user=operator, actor=city.users[Role.SUPERVISOR])


@pytest.mark.parametrize(
    ("username", "password", "problem"),
    [
        ("zhangwei", "Short-9x", "太短"),
        ("zhangwei2026", "zhangwei2026!", "相似"),
        ("liming", "password1234", "太常见"),
    ],
)
def test_the_password_rule(city, username, password, problem):
    with pytest.raises(InvalidAccount, match=problem):
        user_create(
            username=username,
            role="operator",
            password=password,
            actor=city.users[Role.SUPERVISOR],
        )


def test_a_good_password_is_taken(city):
    user = user_create(
        username="liming",
        role="operator",
        password="湘江夜色-Orange-71",
        actor=city.users[Role.SUPERVISOR],
    )
    assert user.check_password("湘江夜色-Orange-71")
