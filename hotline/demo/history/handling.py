"""The handling history of one dispatched order, as events of the order-history format.

SPEC 4's lifecycle: dispatch (sometimes corrected, returned, or returned back and forth
until the office designates a lead) → sign-for → handling (sub-dispatch, co-unit
opinions, pauses, extensions, supervision, instructions) → reply → review (sometimes
rework) → callback (sometimes unsatisfied, rework, appeal) → close → spot check.

Times are chosen against the deadlines the importer will compute (``Clock``), so that
an order meant to be on time is, and one meant to be late is. The history is what the
office would know at the end of the generated period: events after it are left out,
which leaves recent orders open.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from hotline.demo.history import history_mix as mix
from hotline.demo.history import phrasebook as pb
from hotline.demo.history.history_clock import DAY, HOUR, MINUTE, Clock
from hotline.demo.history.history_plan import HistoryPlan
from hotline.demo.history.places import Place
from hotline.demo.history.texts import Draft, Texts
from hotline.domain import dispatch_rules
from hotline.interchange.directory_index import DirectoryIndex

H = mix.HANDLING
OPEN_AT = 8 * HOUR + 30 * MINUTE  # office hours of units and the hotline's back office
CLOSE_AT = 17 * HOUR + 50 * MINUTE
NIGHT_FROM = 21 * HOUR + 30 * MINUTE  # dispatchers work 07:30–21:30
NIGHT_UNTIL = 7 * HOUR + 30 * MINUTE

# Cumulative thresholds for the dispatch variants, drawn once per order.
_VARIANTS = []
_edge = 0.0
for _name in ("redispatch", "return_accepted", "return_refused", "mutual_return"):
    _edge += H[_name]
    _VARIANTS.append((_edge, _name))


def _time(pair: tuple[int, dict]) -> int:
    return pair[0]


class _Cutoff(Exception):
    """The history reached the end of the generated period."""


@dataclass(slots=True)
class Case:
    """A dispatched order, as far as its handling needs it."""

    received: int
    online: bool
    urgent: bool
    appeal: str
    chain: list[str]  # category code and its ancestors
    key: str  # phrasebook key
    lead: str
    place: Place
    draft: Draft


class Handling:
    def __init__(
        self,
        *,
        index: DirectoryIndex,
        plan: HistoryPlan,
        clock: Clock,
        texts: Texts,
        end: int,
        rng: Random,
    ):
        self.index = index
        self.plan = plan
        self.clock = clock
        self.texts = texts
        self.end = end
        self.rng = rng
        self.names = {code: unit.name for code, unit in index.units.items()}
        self.districts = list(index.district_units.values())
        self.departments = [u for u in mix.UNITS_DISPATCHED if u not in self.districts]
        self._any_region: dict[str, str | None] = {}
        self._leads_by_top: dict[str, list[str]] | None = None

    # --- the whole history -----------------------------------------------------------

    def run(self, case: Case) -> tuple[list[dict], int | None]:
        """The order's events up to the end of the period, and when it closed (None if
        it is still open then)."""
        self.out: list[dict] = []
        self.during: list[tuple[int, dict]] | None = None
        try:
            return self.out, self._history(case)
        except (_Cutoff, IndexError):
            # IndexError: a working day past the clock's last day, long after the end.
            if self.during:  # handling events not yet written: keep those before the end
                for at, event in sorted(self.during, key=_time):
                    if at >= self.end:
                        break
                    self.out.append(event)
            return self.out, None

    def _history(self, c: Case) -> int:
        rng = self.rng
        t = self._dispatch_time(c)
        t, co_units = self._assign(c, t)
        sign = self._sign_time(t, c.urgent)
        self._check(sign)
        deadline = self._deadline(sign, c)
        self._emit(sign, "sign", unit=c.lead)

        late = rng.random() < H["overdue"]
        during: list[tuple[int, dict]] = []  # events between sign-for and reply
        self.during = during
        t = sign
        if rng.random() < H["pause"]:
            if c.urgent:  # a 24-hour order waits hours, not days
                paused = t + rng.randint(HOUR, 12 * HOUR)
                resumed = paused + rng.randint(2 * HOUR, DAY)
            else:
                paused = self._office(t + rng.randint(2 * HOUR, 2 * DAY))
                resumed = self._office(paused + rng.randint(DAY, 5 * DAY))
            during.append(
                (paused, self._event(paused, "pause", reason=rng.choice(pb.PAUSE_REASONS)))
            )
            self._check(resumed)
            during.append((resumed, self._event(resumed, "resume")))
            deadline = self.clock.after_pause(deadline, paused, resumed, c.urgent)
            t = resumed
        if not c.urgent and rng.random() < H["extension"]:
            t, deadline, late = self._extension(c, t, deadline, late, during)

        reply = self._reply_time(t + 20 * MINUTE, deadline, c.urgent, late)
        self._weave(c, sign, reply, deadline, co_units, during)
        replier = c.lead
        sub = self._sub_unit(c)
        if sub is not None and rng.random() < H["sub_dispatch"]:
            at = sign + rng.randint(10 * MINUTE, max(11 * MINUTE, (reply - sign) // 3))
            during.append((at, self._event(at, "sub_dispatch", unit=c.lead, sub_unit=sub)))
            if rng.random() < 0.3:
                replier = sub
        self.during = None
        during.sort(key=_time)
        for at, event in during:
            self._check(at)
            self.out.append(event)

        t = self._reply(c, reply, replier)
        t = self._review(c, t, replier)
        t, unsatisfied = self._callbacks(c, t, replier)
        closed = t + rng.randint(2 * MINUTE, 4 * HOUR)
        self._emit(closed, "close")
        t = closed
        if unsatisfied and rng.random() < H["appeal"]:
            t = self._office(t + rng.randint(DAY, 6 * DAY))
            decision = "upheld" if rng.random() < H["appeal_upheld"] else "dismissed"
            self._emit(t, "appeal", decision=decision, reason=rng.choice(pb.APPEAL_REASONS))
        if rng.random() < H["spot_check"]:
            t = self._office(t + rng.randint(DAY, 15 * DAY))
            self._emit(t, "spot_check", result=self.plan.spot_check_results.pick(rng))
        return closed

    # --- dispatch ----------------------------------------------------------------------

    def _dispatch_time(self, c: Case) -> int:
        rng = self.rng
        if c.urgent:  # dispatched by phone at once, day or night
            t = c.received + rng.randint(2 * MINUTE, 12 * MINUTE)
        else:
            if c.online:
                t = c.received + rng.randint(20 * MINUTE, 5 * HOUR)
            else:
                t = c.received + rng.randint(3 * MINUTE, 45 * MINUTE)
            second = t % DAY
            if second >= NIGHT_FROM:
                t += DAY - second + 8 * HOUR + rng.randint(0, 80 * MINUTE)
            elif second < NIGHT_UNTIL:
                t += 8 * HOUR - second + rng.randint(0, 80 * MINUTE)
        if t >= self.end:
            # A dispatched order has its dispatch on record: the night shift sends the
            # period's last orders before the cut-off.
            t = c.received + (self.end - c.received) // 2
        return t

    def _assign(self, c: Case, t: int) -> tuple[int, tuple[str, ...]]:
        """Dispatch events up to the final assignment; its time and co-units."""
        rng = self.rng
        lead = c.lead
        co_units: tuple[str, ...] = ()
        catalogue_co = self.plan.co_units(c.chain[0], c.place.region)
        if catalogue_co and rng.random() < H["co_units"]:
            co_units = catalogue_co
        roll = rng.random()
        variant = next((name for edge, name in _VARIANTS if roll < edge), None)
        if variant is None:
            self._emit(t, "dispatch", **self._units(lead, co_units))
            return t, co_units
        other = self._wrong_unit(c)
        names = self.names
        if variant == "redispatch":
            self._emit(t, "dispatch", unit=other)
            t += rng.randint(5 * MINUTE, 90 * MINUTE)
            self._emit(t, "redispatch", **self._units(lead, co_units))
            return t, co_units
        if variant == "return_refused":
            self._emit(t, "dispatch", **self._units(lead, co_units))
            t = self._office(t + rng.randint(20 * MINUTE, 6 * HOUR))
            self._emit(t, "return", unit=lead, reason=self.texts.return_reason(names[other], rng))
            t += rng.randint(10 * MINUTE, 4 * HOUR)
            self._emit(t, "return_review", decision="refuse")
            return t, co_units
        # The first unit returns it, rightly: the dispatcher sends it to the lead.
        self._emit(t, "dispatch", unit=other)
        t = self._office(t + rng.randint(20 * MINUTE, 6 * HOUR))
        self._emit(t, "return", unit=other, reason=self.texts.return_reason(names[lead], rng))
        t += rng.randint(10 * MINUTE, 4 * HOUR)
        if variant == "return_accepted":
            self._emit(t, "return_review", decision="accept", **self._units(lead, co_units))
            return t, co_units
        # Mutual returns: the lead sends it back too; the office designates (SPEC 4).
        self._emit(t, "return_review", decision="accept", unit=lead)
        t = self._office(t + rng.randint(30 * MINUTE, 8 * HOUR))
        self._emit(t, "return", unit=lead, reason=self.texts.return_reason(names[other], rng))
        if rng.random() < H["consultation"]:
            t += rng.randint(2 * HOUR, DAY)
            self._emit(t, "consultation_open", note=pb.CONSULTATION_NOTES[0])
            t += rng.randint(DAY, 4 * DAY)
            decision = self.texts.consultation_decision(names[lead], rng)
            self._emit(t, "consultation_close", decision=decision)
        t = self._office(t + rng.randint(HOUR, DAY))
        self._emit(t, "designate", unit=lead, co_units=[other])
        return t, (other,)

    def _wrong_unit(self, c: Case) -> str:
        """A plausible first guess that is not the lead."""
        rng = self.rng
        if c.lead in self.districts:
            competent = self._competent_unit(c.chain[0])
            if competent and competent != c.lead and rng.random() < 0.7:
                return competent
            return rng.choice([d for d in self.districts[:5] if d != c.lead])
        district = self.index.district_units[c.place.district]
        if rng.random() < 0.6:
            return district
        # Drawn as before from every department, so that the rest of the history (and
        # every figure built on the seed) stays the same; then made a plausible one.
        guess = rng.choice([u for u in self.departments if u != c.lead])
        related = [u for u in self._related_leads(c.chain[0]) if u != c.lead]
        if not related:
            return district
        return guess if guess in related else related[self.departments.index(guess) % len(related)]

    def _related_leads(self, code: str) -> list[str]:
        """The departments the catalogue makes lead for some category under the same
        top-level category: a unit returns an order to a body that could plausibly be
        competent (a prepaid-card complaint is never "for the gas company")."""
        if self._leads_by_top is None:
            found: dict[str, set[str]] = {}
            for rule in self.index.rules:
                top = self.index.category_chain(rule.category_code)[-1]
                found.setdefault(top, set()).add(rule.lead)
            departments = set(self.departments)
            self._leads_by_top = {top: sorted(leads & departments) for top, leads in found.items()}
        return self._leads_by_top.get(self.index.category_chain(code)[-1], [])

    def _competent_unit(self, code: str) -> str | None:
        """The catalogue's lead for the category in any region (competence principle)."""
        if code not in self._any_region:
            rule = dispatch_rules.choose(
                self.index.rules, category_codes=self.index.category_chain(code), region_codes=[]
            )
            self._any_region[code] = rule.lead if rule else None
        return self._any_region[code]

    def _sub_unit(self, c: Case) -> str | None:
        sub = self.index.town_units.get(c.place.town)
        if sub is not None and self.index.units[sub].parent_code == c.lead:
            return sub
        return None

    def _sign_time(self, assigned: int, urgent: bool) -> int:
        rng = self.rng
        self._check(assigned)
        due = self.clock.sign_by(assigned, urgent)
        if urgent:
            return assigned + rng.randint(2 * MINUTE, max(3 * MINUTE, due - assigned - MINUTE))
        if rng.random() < H["late_sign"]:
            return due + rng.randint(10 * MINUTE, 5 * HOUR)
        return max(assigned + 2 * MINUTE, due - rng.randint(5 * MINUTE, 115 * MINUTE))

    # --- handling ------------------------------------------------------------------------

    def _extension(self, c: Case, t: int, deadline: int, late: bool, during: list):
        """The unit asks for more time shortly before the deadline; the office grants it
        (the deadline moves) or refuses it (the reply may then come late)."""
        rng = self.rng
        asked = max(t + HOUR, deadline - rng.randint(DAY, 3 * DAY))
        if asked >= deadline:
            return t, deadline, late
        asked = min(self._office(asked), deadline - HOUR)
        last = self.clock.workday_at_or_after(deadline // DAY)
        until_day = self.clock.workdays[last + rng.randint(5, 15)]
        until = until_day * DAY + DAY - 1
        decided = asked + rng.randint(HOUR, 30 * HOUR)
        granted = rng.random() < H["extension_granted"]
        event = self._event(
            asked,
            "extension",
            unit=c.lead,
            until=self.clock.stamp(until),
            reason=rng.choice(pb.EXTENSION_REASONS),
        )
        during.append((asked, event))
        self._check(decided)
        event["decision"] = "granted" if granted else "refused"
        event["decided_at"] = self.clock.stamp(decided)
        if granted:
            return decided, until, late
        return decided, deadline, late or rng.random() < H["late_after_refusal"]

    def _weave(self, c: Case, sign: int, reply: int, deadline: int, co_units, during) -> None:
        """Co-unit opinions, supervision and instructions between sign-for and reply."""
        rng = self.rng
        span = max(reply - sign, 2 * MINUTE)
        if co_units and rng.random() < H["co_reply"]:
            at = sign + rng.randint(MINUTE, span - MINUTE)
            text = self.texts.co_reply(self.names[co_units[0]], rng)
            during.append((at, self._event(at, "co_reply", unit=co_units[0], text=text)))
        if reply > deadline:
            # Overdue: supervised, and escalated to a red card when it drags on (SPEC 4).
            at = self._office(deadline + rng.randint(MINUTE, 12 * HOUR))
            if at < reply:
                level = "yellow" if rng.random() < 0.7 else "normal"
                note = rng.choice(pb.SUPERVISION_NOTES[level])
                during.append((at, self._event(at, "supervision", level=level, note=note)))
            at = deadline + 2 * DAY + rng.randint(MINUTE, 8 * HOUR)
            if at < reply:
                note = rng.choice(pb.SUPERVISION_NOTES["red"])
                during.append((at, self._event(at, "supervision", level="red", note=note)))
        elif rng.random() < H["supervision_warning"]:
            at = reply - rng.randint(1, max(2, span // 5))
            note = rng.choice(pb.SUPERVISION_NOTES["normal"])
            during.append((at, self._event(at, "supervision", level="normal", note=note)))
        if rng.random() < H["instruction"]:
            at = sign + rng.randint(MINUTE, span - MINUTE)
            in_office = self._office(at)
            at = in_office if in_office < reply else at
            during.append((at, self._event(at, "instruction", text=rng.choice(pb.INSTRUCTIONS))))

    def _reply(self, c: Case, at: int, unit: str) -> int:
        self._check(at)
        text = self.texts.reply(
            unit=self.names[unit],
            key=c.key,
            draft=c.draft,
            place=c.place,
            rdate=self.clock.month_day(at),
            rng=self.rng,
        )
        self._emit(at, "reply", unit=unit, text=text)
        return at

    def _review(self, c: Case, replied: int, unit: str) -> int:
        rng = self.rng
        t = self._office(replied + rng.randint(20 * MINUTE, 20 * HOUR))
        if rng.random() < H["review_rework"]:
            self._check(t)
            deadline = self._deadline(t, c)
            self._emit(t, "review", decision="rework", note=rng.choice(pb.REWORK_NOTES))
            t = self._rework(c, t, deadline, unit)
        self._emit(t, "review", decision="accept")
        return t

    def _rework(self, c: Case, sent_back: int, deadline: int, unit: str) -> int:
        """The unit handles a reworked order again, sometimes pressed by the office;
        returns when its new reply is reviewed."""
        rng = self.rng
        reply = self._reply_time(sent_back + HOUR, deadline, c.urgent, False)
        if reply - sent_back > 3 * HOUR and rng.random() < H["rework_supervision"]:
            at = sent_back + rng.randint(HOUR, (reply - sent_back) // 2)
            note = rng.choice(pb.SUPERVISION_NOTES["rework"])
            self._emit(at, "supervision", level="yellow", note=note)
        t = self._reply(c, reply, unit)
        return self._office(t + rng.randint(20 * MINUTE, 20 * HOUR))

    def _callbacks(self, c: Case, reviewed: int, unit: str) -> tuple[int, int]:
        """Callbacks after the accepted reply; their time and how many were unsatisfied."""
        rng = self.rng
        t = self._callback_time(reviewed)
        result = self.plan.callback_results.pick(rng)
        if result == "unsatisfied" and rng.random() < H["rework_after_unsatisfied"]:
            self._check(t)
            deadline = self._deadline(t, c)
            self._emit(t, "callback", result=result, rework=True)
            t = self._rework(c, t, deadline, unit)
            self._emit(t, "review", decision="accept")
            t = self._callback_time(t)
            again = self.plan.callback_after_rework.pick(rng)
            self._emit(t, "callback", result=again)
            return t, 1 + (again == "unsatisfied")
        self._emit(t, "callback", result=result)
        return t, int(result == "unsatisfied")

    # --- times -----------------------------------------------------------------------------

    def _deadline(self, t: int, c: Case) -> int:
        return self.clock.reply_deadline(t, urgent=c.urgent, appeal_type=c.appeal, chain=c.chain)

    def _reply_time(self, earliest: int, deadline: int, urgent: bool, late: bool) -> int:
        """A reply in office hours: before the deadline, or after it when ``late``."""
        rng = self.rng
        if urgent:
            if late or deadline < earliest + 10 * MINUTE:
                return max(deadline, earliest) + rng.randint(HOUR, 2 * DAY)
            return earliest + int((deadline - earliest) * rng.random() ** 1.3 * 0.95)
        workdays = self.clock.workdays
        first = self.clock.workday_at_or_after(earliest // DAY)
        last = self.clock.workday_at_or_after(deadline // DAY)
        if late:
            day = workdays[last + 2 + int(rng.random() * 6)]
        else:
            if last < first:
                return earliest + rng.randint(MINUTE, 30 * MINUTE)
            day = workdays[first + min(last - first, int((last - first + 1) * rng.random() ** 1.8))]
        second = rng.randint(OPEN_AT + 10 * MINUTE, CLOSE_AT)
        if rng.random() < 0.08:
            second = rng.randint(18 * HOUR, 22 * HOUR)
        t = day * DAY + second
        if t < earliest:
            t = earliest + rng.randint(MINUTE, 90 * MINUTE)
        if not late and t > deadline:
            t = max(earliest + MINUTE, deadline - rng.randint(MINUTE, 30 * MINUTE))
        return t

    def _callback_time(self, after: int) -> int:
        t = after + self.rng.randint(3 * HOUR, 60 * HOUR)
        second = t % DAY
        if second < 9 * HOUR:
            t += 9 * HOUR - second + self.rng.randint(0, 3 * HOUR)
        elif second > 20 * HOUR + 30 * MINUTE:
            t += DAY - second + 9 * HOUR + self.rng.randint(0, 3 * HOUR)
        return t

    def _office(self, t: int) -> int:
        """``t``, or the next opening of the office when ``t`` falls outside its hours."""
        second = t % DAY
        if second < OPEN_AT:
            return t - second + OPEN_AT + self.rng.randint(0, 90 * MINUTE)
        if second > 20 * HOUR:
            return t - second + DAY + OPEN_AT + self.rng.randint(0, 90 * MINUTE)
        return t

    # --- writing ----------------------------------------------------------------------------

    def _check(self, t: int) -> None:
        if t >= self.end:
            raise _Cutoff

    def _event(self, t: int, kind: str, **fields) -> dict:
        event = {"type": kind, "at": self.clock.stamp(t)}
        event.update(fields)
        return event

    def _emit(self, t: int, kind: str, **fields) -> None:
        if t >= self.end:
            raise _Cutoff
        event = {"type": kind, "at": self.clock.stamp(t)}
        event.update(fields)
        self.out.append(event)

    @staticmethod
    def _units(lead: str, co_units: tuple[str, ...]) -> dict:
        return {"unit": lead, "co_units": list(co_units)} if co_units else {"unit": lead}
