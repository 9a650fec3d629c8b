"""Writes to the audit trail, and the one way to see a citizen's identity in full."""

from dataclasses import dataclass

from django.db import transaction

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.domain.masking import SEES_IDENTITY
from hotline.domain.permissions import NotPermitted


@dataclass(frozen=True)
class RevealedIdentity:
    name: str
    phone: str
    id_number: str


def audit_record(
    *, action: str, actor=None, username: str = "", order=None, detail="", address=None
):
    return AuditRecord.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        username=username
        or (actor.username if actor is not None and actor.is_authenticated else ""),
        action=action,
        order=order,
        detail=detail[:200],
        address=address,
    )


@transaction.atomic
def identity_reveal(*, order, actor, purpose: str, address=None) -> RevealedIdentity:
    """The citizen's name, phone and ID number in full, for a role whose work is
    talking to the citizen; every reveal leaves an audit record."""
    if actor.role not in SEES_IDENTITY:
        raise NotPermitted(f"「{Role(actor.role).label}」角色不能查看市民完整信息")
    citizen = order.citizen
    if citizen is None:
        return RevealedIdentity("", "", "")
    audit_record(
        action=AuditRecord.Action.REVEAL, actor=actor, order=order, detail=purpose, address=address
    )
    return RevealedIdentity(citizen.name, citizen.phone, citizen.id_number)
