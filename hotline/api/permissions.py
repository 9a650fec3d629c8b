"""Who may use the system-to-system endpoints, in one place.

A *system* is a user account that a connected system (the telephony platform, the
province 12345 platform) signs in with; it belongs to the group ``SYSTEM_GROUP``
and uses a token, never a session. Its role says what it may do to orders, like any
other user (the province platform is an operator: it registers orders).
"""

from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission

from hotline.domain.enums import Role

SYSTEM_GROUP = "接口系统"

# SPEC 8: call records come from the telephony system; the office may load them too.
CALL_IMPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})


def is_system(user, auth) -> bool:
    return isinstance(auth, Token) and user.groups.filter(name=SYSTEM_GROUP).exists()


def may_import_calls(user, auth) -> bool:
    return user.role in CALL_IMPORT_ROLES or is_system(user, auth)


class CanImportCalls(BasePermission):
    message = "只有热线办、系统管理员或接口系统的令牌可以提交来电记录"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and may_import_calls(user, request.auth))
