"""Reads of the user accounts."""

from dataclasses import dataclass

from django.db.models import QuerySet

from hotline.accounts.models import User


@dataclass(frozen=True)
class UserFilters:
    username_prefix: str = ""
    role: str = ""
    active: bool | None = None  # None: active or not


def user_list(*, filters: UserFilters) -> QuerySet[User]:
    """The accounts matching every given filter, with their unit; the caller pages them."""
    users = User.objects.select_related("unit")
    if filters.username_prefix:
        users = users.filter(username__startswith=filters.username_prefix)
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.active is not None:
        users = users.filter(is_active=filters.active)
    return users
