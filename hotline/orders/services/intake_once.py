"""Registration by a system that may send its request again (a lost answer, a timeout):
one order per key, and the first answer given again for every repeat.

The answer is made and stored in the transaction that registers the order, so what the
client is told after the commit comes from memory: nothing is read back once the order
exists, and no failure after the commit can turn a registered order into an error that
invites a duplicate."""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from hotline.accounts.models import User
from hotline.domain.errors import DomainError
from hotline.orders.models import IntakeAnswer, Order
from hotline.orders.services.intake import Intake, order_register_within

# Keys are the client's: printable ASCII, at most this long.
KEY_MAX = 200


class InvalidKey(DomainError):
    code = "invalid_idempotency_key"
    field = "Idempotency-Key"


def idempotency_key(raw: str) -> str:
    """The client's key as sent (surrounding spaces apart), or a refusal saying why."""
    key = raw.strip()
    if len(key) > KEY_MAX or not all(" " < ch < "\x7f" for ch in key):
        raise InvalidKey(f"Idempotency-Key 须为不超过 {KEY_MAX} 个可见 ASCII 字符")
    return key


class KeyReused(DomainError):
    code = "idempotency_key_reused"


def request_fingerprint(data: Mapping) -> str:
    """A digest of what the client sent, the same however its keys were ordered."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    body: dict
    replayed: bool  # True: the order was registered by an earlier request with this key


@transaction.atomic
def order_register_once(
    *,
    actor: User | None,
    intake: Intake,
    key: str,
    answer: Callable[[Order], dict],
    fingerprint: str = "",
) -> Answer:
    """Registers the order and returns ``answer(order)``; with a ``key``, a request
    repeating it (even one running at the same moment) registers nothing and gets
    the first request's answer. The key sent with another request (its ``fingerprint``
    differs) is refused: that request is not the one already answered."""
    if not key:
        order = order_register_within(actor=actor, intake=intake)
        return Answer(body=answer(order), replayed=False)
    try:
        # The claim comes first: a concurrent repeat waits here for this transaction.
        with transaction.atomic():
            claim = IntakeAnswer.objects.create(client=actor, key=key)
    except IntegrityError:
        first = IntakeAnswer.objects.select_related("order").get(client=actor, key=key)
        if first.fingerprint and fingerprint and first.fingerprint != fingerprint:
            raise KeyReused(_reused(intake, key, first.order)) from None
        return Answer(body=first.body, replayed=True)
    order = order_register_within(actor=actor, intake=intake)
    claim.order, claim.body, claim.fingerprint = order, answer(order), fingerprint
    claim.save(update_fields=["order", "body", "fingerprint"])
    return Answer(body=claim.body, replayed=False)


def natural_key(intake: Intake) -> str:
    """The key a request carries in itself, for a client that sends no key: the sending
    platform's own number (one order per channel), else the call it came from."""
    if intake.external_ref.strip():
        return f"external_ref:{intake.channel}:{intake.external_ref.strip()}"
    return f"call_id:{intake.call_id}" if intake.call_id else ""


def _reused(intake: Intake, key: str, order: Order | None) -> str:
    registered = f"已登记为工单 {order.number}" if order else "已在登记中"
    if intake.external_ref.strip() and key == natural_key(intake):
        sent = f"外部工单号「{intake.external_ref}」"
    else:
        sent = f"幂等键「{key}」"
    return f"{sent}{registered}，本次提交的内容与之不同，未登记"
