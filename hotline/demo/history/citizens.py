"""Made-up citizens for the generated orders, some of whom call again.

Names are a common surname with 先生/女士 (or a 某某 company); phone numbers are a mobile
prefix followed by ``0000`` and four digits, a block chosen so that no generated number
looks like a real subscriber's. One number keeps one identity, so repeat callers are
recognisable by phone (SPEC 3), and harassment comes mostly from a few numbers.
"""

from __future__ import annotations

import re
from random import Random

from hotline.demo.history import history_mix as mix
from hotline.demo.history import phrasebook as pb

PHONE_PATTERN = re.compile(r"^1\d\d0000\d{4}$")

_RECENT = 5000  # callers remembered for repeat calls
_NUISANCE = 40  # numbers behind most harassment and invalid calls


class Citizens:
    def __init__(self, rng: Random):
        self.rng = rng
        self._known: dict[str, tuple[str, str]] = {}  # phone → (name, kind)
        self._recent: list[str] = []
        self._nuisance: list[str] = []

    def _new_phone(self) -> str:
        rng = self.rng
        return rng.choice(mix.PHONE_PREFIXES) + "0000" + f"{rng.randrange(10000):04d}"

    def citizen(self, *, rural: bool, enterprise: bool, confidential: bool) -> dict:
        """The citizen object of an order line."""
        rng = self.rng
        recent = self._recent
        if recent and rng.random() < mix.REPEAT_CALLER_SHARE:
            phone = rng.choice(recent)
        else:
            phone = self._new_phone()
            if len(recent) < _RECENT:
                recent.append(phone)
            else:
                recent[rng.randrange(_RECENT)] = phone
        known = self._known.get(phone)
        if known is None:
            known = self._known[phone] = self._identity(rural, enterprise)
        name, kind = known
        out = (
            {"name": name, "phone": phone, "kind": kind} if name else {"phone": phone, "kind": kind}
        )
        if confidential:
            out["confidential"] = True
        return out

    def _identity(self, rural: bool, enterprise: bool) -> tuple[str, str]:
        rng = self.rng
        if enterprise or rng.random() < mix.ENTERPRISE_SHARE:
            return f"湘潭某某{rng.choice(pb.ENTERPRISE_KINDS)}有限公司", "enterprise"
        kind = "rural" if rural and rng.random() < 0.8 else "urban"
        if rng.random() < mix.ANONYMOUS_SHARE:
            return "", kind
        return rng.choice(pb.SURNAMES) + rng.choice(("先生", "女士")), kind

    def nuisance_caller(self) -> dict:
        rng = self.rng
        if len(self._nuisance) < _NUISANCE or rng.random() < 0.3:
            phone = self._new_phone()
            if len(self._nuisance) < _NUISANCE:
                self._nuisance.append(phone)
        else:
            phone = rng.choice(self._nuisance)
        known = self._known.get(phone)
        return {"phone": phone, "kind": known[1] if known else "urban"}

    def caller(self) -> str:
        """A number for a call that produced no order."""
        if self._recent and self.rng.random() < 0.3:
            return self.rng.choice(self._recent)
        return self._new_phone()
