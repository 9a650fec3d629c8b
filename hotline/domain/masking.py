"""Who sees a citizen's identity, and what the others see instead (SPEC 6).

A unit sees only what it needs to handle the matter: the citizen's name and phone
are masked for every role whose work is not talking to the citizen, and a
confidential order (保密, typical for 举报) shows the unit no identity at all.
"""

from enum import StrEnum

from hotline.domain.enums import Role

# The roles whose work is talking to the citizen: taking the call, calling back,
# and the office that supervises both.
SEES_IDENTITY = frozenset({Role.OPERATOR, Role.CALLBACK_AGENT, Role.SUPERVISOR})

HIDDEN = "***"


class Identity(StrEnum):
    FULL = "full"
    MASKED = "masked"
    HIDDEN = "hidden"


def identity_for(role: str, *, confidential: bool) -> Identity:
    if role == Role.UNIT_HANDLER and confidential:
        return Identity.HIDDEN
    if role in SEES_IDENTITY:
        return Identity.FULL
    return Identity.MASKED


class Reveal(StrEnum):
    """What a logged reveal shows."""

    IDENTITY = "identity"  # name, phone and ID number in full
    PHONE = "phone"  # the phone in full, the name still masked


def reveal_for(role: str, *, confidential: bool) -> Reveal | None:
    """What ``role`` may reveal of an order's citizen, with a purpose and a log entry;
    None: nothing. SPEC 4 (2026-12): handling starts with the unit calling the citizen,
    so a unit handler may reveal the phone of a non-confidential order it handles (the
    selectors show a unit only its own orders); on a confidential order it asks the
    hotline for a three-way call instead."""
    if role in SEES_IDENTITY:
        return Reveal.IDENTITY
    if role == Role.UNIT_HANDLER and not confidential:
        return Reveal.PHONE
    return None


CONFIDENTIAL_REVEAL_REFUSED = "该工单为保密工单，承办单位不能查看诉求人电话，请申请热线三方通话"


def may_search_by_phone(role: str) -> bool:
    """Finding orders by a phone number tells whether that number called: a role that
    sees numbers masked (138****0001) could recover one by trying the 10 000 middles,
    so only the roles that may reveal a number in full search by it."""
    return role in SEES_IDENTITY


PHONE_SEARCH_REFUSED = "您的岗位只能看到隐藏中间位的电话号码，不能按电话号码查询工单"


# From least to most shown.
_OPENNESS = (Identity.HIDDEN, Identity.MASKED, Identity.FULL)


def shown_identity(role: str, *, confidential: bool) -> Identity:
    """What a page or an API response shows without asking: never more than masked.
    A role that may see the identity in full asks for it with a purpose, and the reveal
    is logged (SPEC 6: every reveal is logged)."""
    identity = identity_for(role, confidential=confidential)
    return min(identity, Identity.MASKED, key=_OPENNESS.index)


def mask_name(name: str) -> str:
    """李先生 → 李**: the family name stays, so the handler can say 李先生/李女士."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """13800000001 → 138****0001; a landline keeps its last four digits."""
    phone = (phone or "").strip()
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) >= 7:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def shown_name(name: str, identity: Identity) -> str:
    if identity is Identity.FULL:
        return name
    return mask_name(name) if identity is Identity.MASKED else HIDDEN


def shown_phone(phone: str, identity: Identity) -> str:
    if identity is Identity.FULL:
        return phone
    return mask_phone(phone) if identity is Identity.MASKED else HIDDEN
