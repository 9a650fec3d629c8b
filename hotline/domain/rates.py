"""The three rates of SPEC 5 (2026-12, Beijing's 接诉即办 三率): response, resolution and
satisfaction, and the score they give when the office weighs them in instead of the
four figures of the Yueyang appendix.

Inputs are counts; the counting is done in SQL (``statistics/rates.py``). Rates are
fractions rounded half up to the report's four decimals, ``None`` when there is
nothing to measure (SPEC 7: the document shows "—", never a made-up 0 % or 100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from hotline.domain.assessment import AssessmentRule, grade
from hotline.domain.calendar import WorkingCalendar
from hotline.domain.deadlines import END_OF_DAY, LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.domain.statistics import RATE_PLACES

_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)


class InvalidRatesRule(DomainError):
    code = "invalid_rates_rule"


@dataclass(frozen=True)
class RatesRule:
    # SPEC 5: the first contact is due within 1 working day after sign-for.
    response_days: int = 1
    # SPEC 5: a callback answering "partly solved" counts half.
    partly_weight: float = 0.5
    # (response, resolution, satisfaction) weights of a score made of the three rates
    # instead of SPEC 5's four figures; None (the default) keeps SPEC 5's score.
    weights: tuple[float, float, float] | None = None

    def __post_init__(self):
        if isinstance(self.response_days, bool) or not isinstance(self.response_days, int):
            raise InvalidRatesRule("响应时限须为整数个工作日")
        if self.response_days < 1:
            raise InvalidRatesRule("响应时限至少 1 个工作日")
        if not 0 <= self.partly_weight <= 1:
            raise InvalidRatesRule("部分解决的计分须在 0 到 1 之间")
        if self.weights is not None and (
            len(self.weights) != 3
            or any(w < 0 for w in self.weights)
            or abs(sum(self.weights) - 100) > 1e-9
        ):
            raise InvalidRatesRule("三率权重须为三个非负数且合计为 100")


def respond_by(signed_at: datetime, *, rule: RatesRule, calendar: WorkingCalendar) -> datetime:
    """SPEC 5: when the first contact is due — the end of the N-th working day after the
    sign-for day, counted like the reply deadline (SPEC 4)."""
    day = signed_at.astimezone(LOCAL_TZ).date()
    return datetime.combine(
        calendar.add_working_days(day, rule.response_days), END_OF_DAY, LOCAL_TZ
    )


def _fraction(numerator: Decimal, denominator: int) -> float | None:
    if not denominator:
        return None
    return float((numerator / Decimal(denominator)).quantize(_QUANTUM, rounding=ROUND_HALF_UP))


def response_rate(*, responded: int, needing: int) -> float | None:
    """响应率: due orders whose first contact came in time / due orders needing contact."""
    _require_counts(responded, needing)
    return _fraction(Decimal(responded), needing)


def resolution_rate(*, solved: int, partly: int, answered: int, rule: RatesRule) -> float | None:
    """解决率: callbacks answering solved, partly solved weighted (default half), over the
    callbacks that reached the citizen and answered the question."""
    _require_counts(solved + partly, answered)
    weighted = Decimal(solved) + Decimal(repr(rule.partly_weight)) * partly
    return _fraction(weighted, answered)


def _require_counts(part: int, whole: int) -> None:
    if min(part, whole) < 0 or part > whole:
        raise InvalidRatesRule("三率计数不一致：分子不能多于分母")


@dataclass(frozen=True)
class RatesScore:
    score: float
    grade: str


def three_rate_score(
    *,
    response: float | None,
    resolution: float | None,
    satisfaction: float,
    rule: RatesRule,
    grading: AssessmentRule,
) -> RatesScore | None:
    """The score of the three rates when the office weighs them in (``rule.weights``),
    else None. A rate with nothing to measure counts 100 %, as SPEC 5 counts the
    satisfaction of a unit no callback reached."""
    if rule.weights is None:
        return None
    rates = (1.0 if response is None else response, 1.0 if resolution is None else resolution)
    raw = sum(w * r for w, r in zip(rule.weights, (*rates, satisfaction), strict=True))
    score = float(Decimal(repr(raw)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return RatesScore(score=score, grade=grade(score, grading))
