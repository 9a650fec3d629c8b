"""Writes to user accounts."""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from hotline.accounts.models import User
from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.directory.models import Unit
from hotline.domain import permissions
from hotline.domain.actions import Action
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError

# Letters and digits that cannot be mistaken for one another when read out or typed.
_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
_PASSWORD_LENGTH = 14
RESET_BY_ADMINISTRATORS_ONLY = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMINISTRATOR})


class InvalidAccount(DomainError):
    code = "invalid_account"


def account_check(
    *,
    role: str,
    unit: Unit | None,
    actor: User | None = None,
    user: User | None = None,
    active: bool | None = None,
) -> Role:
    """The rules every write to an account obeys; returns the role, parsed.

    ``user`` is the account as stored (None for a new one), ``role``, ``unit`` and
    ``active`` what it is to become. ``actor`` None is the system itself (demo setup,
    the command line). Otherwise the actor must be one who keeps the accounts, and
    only an administrator may create, change or promote an administrator: a
    supervisor keeping the office's accounts must not be able to give anyone,
    themselves included, the run of the system. Nobody locks themselves out by
    changing their own role or deactivating their own account.
    """
    try:
        role = Role(role)
    except ValueError:
        raise InvalidAccount(f"未知的角色：{role}") from None
    if actor is not None:
        permissions.require(actor.role, Action.CONFIGURE)
        touches_admin = role is Role.ADMINISTRATOR or (
            user is not None and user.role == Role.ADMINISTRATOR
        )
        if touches_admin and actor.role != Role.ADMINISTRATOR:
            raise permissions.NotPermitted("只有系统管理员可以创建或修改系统管理员账号")
        if user is not None and actor.pk == user.pk:
            if role != user.role:
                raise InvalidAccount("不能修改自己的角色")
            if active is False:
                raise InvalidAccount("不能停用自己的账号")
    if role is Role.UNIT_HANDLER and unit is None:
        raise InvalidAccount("承办单位联络员必须绑定所属单位")
    return role


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str,
    unit: Unit | None = None,
    full_name: str = "",
    actor: User | None = None,
) -> User:
    role = account_check(role=role, unit=unit, actor=actor)
    _require_active(unit)
    username = username.strip()
    if not username:
        raise InvalidAccount("请填写用户名")
    if actor is not None:  # a password a person chose (the system's are random)
        password_check(password, username=username, full_name=full_name)
    if User.objects.filter(username=username).exists():
        raise InvalidAccount(f"用户名「{username}」已存在")
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role.value,
        unit=unit,
        first_name=full_name,
        is_staff=role is Role.ADMINISTRATOR,
        is_superuser=role is Role.ADMINISTRATOR,
    )
    _audit(actor, f"新建用户 {username}（{role.label}{'，' + unit.name if unit else ''}）")
    return user


@transaction.atomic
def user_update(
    *, user: User, role: str, unit: Unit | None, full_name: str = "", actor: User | None = None
) -> User:
    """A new role, unit or name; the admin site opens to administrators only."""
    stored = _stored(user)
    role = account_check(role=role, unit=unit, actor=actor, user=stored)
    if unit is not None and unit.pk != stored.unit_id:
        _require_active(unit)
    user.role = role.value
    user.unit = unit
    user.first_name = full_name
    user.is_staff = user.is_superuser = role is Role.ADMINISTRATOR
    user.save(update_fields=["role", "unit", "first_name", "is_staff", "is_superuser"])
    _audit(actor, f"修改用户 {user.username}：{role.label}{'，' + unit.name if unit else ''}")
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None = None) -> User:
    """The user can no longer sign in, and any session they have ends at its next
    request. The account stays: its name is on orders and in the audit trail."""
    stored = _stored(user)
    account_check(role=stored.role, unit=stored.unit, actor=actor, user=stored, active=False)
    _audit(actor, f"停用用户 {stored.username}")
    return _set_active(user, False)


@transaction.atomic
def user_reactivate(*, user: User, actor: User | None = None) -> User:
    stored = _stored(user)
    account_check(role=stored.role, unit=stored.unit, actor=actor, user=stored)
    _audit(actor, f"启用用户 {stored.username}")
    return _set_active(user, True)


@transaction.atomic
def user_password_reset(*, user: User, actor: User | None = None) -> str:
    """Gives the user a new random password and returns it, to be handed over once."""
    stored = _stored(user)
    account_check(role=stored.role, unit=stored.unit, actor=actor, user=stored)
    if (
        actor is not None
        and stored.role in RESET_BY_ADMINISTRATORS_ONLY
        and actor.role != Role.ADMINISTRATOR
    ):
        # A new password is the account in the hands of whoever sets it: a supervisor
        # must not be able to take over another supervisor's or a leader's account.
        raise permissions.NotPermitted("只有系统管理员可以重置热线办和领导账号的密码")
    password = password_generate()
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(actor, f"重置用户 {stored.username} 的密码")
    return password


def _audit(actor, detail: str) -> None:
    """Changes made by a person are on the audit trail; the system's own (demo setup,
    the command line) are not a person's."""
    if actor is not None:
        audit_record(action=AuditRecord.Action.ACCOUNT_CHANGE, actor=actor, detail=detail)


def password_check(password: str, *, username: str, full_name: str = "") -> None:
    """The password rule (AUTH_PASSWORD_VALIDATORS): at least 12 characters, not like
    the user name or name, not on the list of common and breached passwords."""
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the refusal is in Chinese
            validate_password(password, user=User(username=username, first_name=full_name))
    except ValidationError as problems:
        raise InvalidAccount("；".join(problems.messages)) from None


def password_generate() -> str:
    """A random password of letters and digits, for a new account or a reset."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(_PASSWORD_LENGTH))


def _stored(user: User) -> User:
    """The account as saved: checks look at the role it has, not one being typed in."""
    return User.objects.select_related("unit").get(pk=user.pk)


def _require_active(unit: Unit | None) -> None:
    if unit is not None and not unit.active:
        raise InvalidAccount(f"单位「{unit.name}」已停用，不能绑定")


def _set_active(user: User, active: bool) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
