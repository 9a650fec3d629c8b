"""The telephone calls of a generated day (SPEC 8, SPEC 11 call records).

Every order that came in by a phone line has its call; a second matter split off a call
shares it. Besides those, some answered calls produce no order (wrong number, transfers
to 110/120) and some calls are never answered (seed: 98.49 % answered). Ids are
``C`` + date + a five-digit sequence in the order the calls started.
"""

from __future__ import annotations

from itertools import accumulate
from random import Random

from hotline.demo.history import history_mix as mix
from hotline.demo.history.citizens import Citizens
from hotline.demo.history.history_clock import DAY, Clock, date_of
from hotline.demo.history.order_maker import Slot

HEADER = "id,started_at,caller,answered,agent,wait_seconds,talk_seconds\n"

# Seconds of conversation by the order's outcome.
_TALK = {
    "answered": (60, 420),
    "dispatched": (120, 600),
    "rejected": (60, 300),
    "merged": (60, 300),
    "harassment": (20, 180),
    "invalid": (3, 40),
}
_HOURS = list(range(24))
_HOURLY = list(accumulate(mix.HOURLY))


class CallLog:
    def __init__(self, *, clock: Clock, citizens: Citizens, rng: Random):
        self.clock = clock
        self.citizens = citizens
        self.rng = rng

    def day(self, day: int, slots: list[Slot]) -> list[str]:
        """The day's CSV lines; sets ``call_id`` on the orders that came from a call."""
        rng = self.rng
        start = day * DAY
        calls = []  # (started, sequence, caller, answered, wait, talk, slot)
        for slot in slots:
            if slot.data is None or slot.parent is not None or "call_id" not in slot.data:
                continue
            wait = self._wait()
            low, high = _TALK[slot.disposition]
            talk = rng.randint(low, high)
            started = slot.received - wait - talk
            if started < start:  # the call began at midnight at the earliest
                started = start
                wait = min(wait, slot.received - start)
                talk = slot.received - start - wait
            calls.append((started, len(calls), slot.citizen["phone"], True, wait, talk, slot))
        answered = len(calls)
        extra = int(answered * mix.CALLS_WITHOUT_ORDER + rng.random())
        missed = int((answered + extra) * (1 / mix.ANSWER_RATE - 1) + rng.random())
        for hour in rng.choices(_HOURS, cum_weights=_HOURLY, k=extra + missed):
            started = start + hour * 3600 + rng.randrange(3600)
            if len(calls) - answered < extra:
                calls.append(
                    (started, len(calls), self.citizens.caller(), True, self._wait(),
                     rng.randint(10, 90), None)
                )  # fmt: skip
            else:
                wait = rng.randint(15, 120)
                calls.append((started, len(calls), self.citizens.caller(), False, wait, 0, None))
        calls.sort()
        prefix = "C" + date_of(day).strftime("%Y%m%d")
        stamp = self.clock.stamp
        lines = []
        for n, (started, _, caller, picked_up, wait, talk, slot) in enumerate(calls, start=1):
            call_id = f"{prefix}{n:05d}"
            if slot is not None:
                slot.data["call_id"] = call_id
            agent = f"A{rng.randint(1, mix.AGENTS):03d}" if picked_up else ""
            flag = "true" if picked_up else "false"
            lines.append(f"{call_id},{stamp(started)},{caller},{flag},{agent},{wait},{talk}\n")
        for slot in slots:
            if slot.data is not None and slot.parent is not None and "call_id" in slot.data:
                slot.data["call_id"] = slot.parent.data["call_id"]
        return lines

    def _wait(self) -> int:
        rng = self.rng
        return rng.randint(45, 150) if rng.random() < 0.08 else rng.randint(2, 40)
