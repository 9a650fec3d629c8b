"""Who may use the system-to-system endpoints, in one place.

A *system* is a user account that a connected system (the telephony platform, the
province 12345 platform) signs in with; it belongs to the group ``SYSTEM_GROUP``
and uses a token, never a session. Its role says what it may do to orders, like any
other user (the province platform is an operator: it registers orders).
"""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
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


# --- systems with a token of their own ---------------------------------------------------
# A telephone switch (SPEC 8) and the 110 system (SPEC 3) are not users: each has a
# token issued for it alone (``security.tokens``), sent as ``Authorization: Bearer``.


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>``; subclasses say whose tokens they take."""

    keyword = b"bearer"

    def find(self, token: str):
        """The active system holding ``token``, or None."""
        raise NotImplementedError

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("令牌格式应为 Authorization: Bearer <令牌>")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("令牌无效或已停用") from None
        system = self.find(token)
        if system is None:
            raise AuthenticationFailed("令牌无效或已停用")
        return (ConnectedSystem(system), system)

    def authenticate_header(self, request):
        return "Bearer"


class ConnectedSystem:
    """What ``request.user`` is for a system with its own token: authenticated, with
    no role (``request.auth`` is the system)."""

    is_authenticated = True
    is_active = True

    def __init__(self, system):
        self.system = system


class HasSystemToken(BasePermission):
    """Asks for the system's token when none was sent; subclasses name the system."""

    missing = "请以接入系统的令牌提交：Authorization: Bearer <令牌>"

    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise NotAuthenticated(self.missing)
        return True
