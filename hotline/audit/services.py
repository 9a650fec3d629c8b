"""Writes to the audit trail, and the one way to see a citizen's identity in full."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Model

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.domain.masking import CONFIDENTIAL_REVEAL_REFUSED, Reveal, mask_name, reveal_for
from hotline.domain.permissions import NotPermitted


class PurposeRequired(DomainError):
    code = "purpose_required"


@dataclass(frozen=True)
class RevealedIdentity:
    name: str
    phone: str
    id_number: str


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    username: str = "",
    order: Model | None = None,
    detail: str = "",
    address: str | None = None,
) -> AuditRecord:
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
def identity_reveal(
    *, order: Model, actor: AbstractBaseUser, purpose: str, address: str | None = None
) -> RevealedIdentity:
    """The citizen's name, phone and ID number in full, for a role whose work is
    talking to the citizen; the phone alone (SPEC 4, 2026-12) for a unit handler on
    a non-confidential order of its own (``order`` comes through the viewer's
    selector). Every reveal states its purpose and leaves an audit record."""
    shown = reveal_for(actor.role, confidential=order.confidential)
    if shown is None:
        if actor.role == Role.UNIT_HANDLER:
            raise NotPermitted(CONFIDENTIAL_REVEAL_REFUSED)
        raise NotPermitted(f"「{Role(actor.role).label}」角色不能查看市民完整信息")
    purpose = (purpose or "").strip()
    if not purpose:
        raise PurposeRequired("请说明查看市民信息的原因")
    citizen = order.citizen
    if citizen is None:
        return RevealedIdentity("", "", "")
    audit_record(
        action=AuditRecord.Action.REVEAL, actor=actor, order=order, detail=purpose, address=address
    )
    if shown is Reveal.PHONE:
        return RevealedIdentity(mask_name(citizen.name), citizen.phone, "")
    return RevealedIdentity(citizen.name, citizen.phone, citizen.id_number)
