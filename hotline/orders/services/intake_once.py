"""Registration by a system that may send its request again (a lost answer, a timeout):
one order per key, and the first answer given again for every repeat.

The answer is made and stored in the transaction that registers the order, so what the
client is told after the commit comes from memory: nothing is read back once the order
exists, and no failure after the commit can turn a registered order into an error that
invites a duplicate."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from hotline.accounts.models import User
from hotline.domain.errors import DomainError
from hotline.orders.models import IntakeAnswer, Order
from hotline.orders.services.intake import Intake, order_register

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


@dataclass(frozen=True)
class Answer:
    body: dict
    replayed: bool  # True: the order was registered by an earlier request with this key


@transaction.atomic
def order_register_once(
    *, actor: User | None, intake: Intake, key: str, answer: Callable[[Order], dict]
) -> Answer:
    """Registers the order and returns ``answer(order)``; with a ``key``, a request
    repeating it (even one running at the same moment) registers nothing and gets
    the first request's answer."""
    if not key:
        return Answer(body=answer(order_register(actor=actor, intake=intake)), replayed=False)
    try:
        # The claim comes first: a concurrent repeat waits here for this transaction.
        with transaction.atomic():
            claim = IntakeAnswer.objects.create(client=actor, key=key)
    except IntegrityError:
        return Answer(body=IntakeAnswer.objects.get(client=actor, key=key).body, replayed=True)
    order = order_register(actor=actor, intake=intake)
    claim.order, claim.body = order, answer(order)
    claim.save(update_fields=["order", "body"])
    return Answer(body=claim.body, replayed=False)
