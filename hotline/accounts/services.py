"""Writes to user accounts."""

from django.db import transaction

from hotline.accounts.models import User
from hotline.directory.models import Unit
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError


class InvalidAccount(DomainError):
    code = "invalid_account"


@transaction.atomic
def user_create(
    *, username: str, role: str, password: str, unit: Unit | None = None, full_name: str = ""
) -> User:
    role = Role(role)
    if role is Role.UNIT_HANDLER and unit is None:
        raise InvalidAccount("承办单位联络员必须绑定所属单位")
    if User.objects.filter(username=username).exists():
        raise InvalidAccount(f"用户名「{username}」已存在")
    return User.objects.create_user(
        username=username,
        password=password,
        role=role.value,
        unit=unit,
        first_name=full_name,
        is_staff=role is Role.ADMINISTRATOR,
        is_superuser=role is Role.ADMINISTRATOR,
    )
