"""Unit assessment (综合评价) of SPEC 5, as reproduced from the Yueyang appendix.

Inputs are counts; the counting itself is done in SQL by the statistics layer.
Weights and grade bounds are settings whose defaults are the seed's. The minimum of due
orders for a grade (SPEC 5, 2026-12 fairness: 样本不足) is a setting too; the rule's own
default is no minimum, the seed's arithmetic, and the office's default is set in
``office_settings``. ``point_losses`` splits the points a unit lost (100 − score) by rule,
for the breakdown each unit sees.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hotline.domain.enums import Vocabulary
from hotline.domain.errors import DomainError


class InvalidAssessmentRule(DomainError):
    code = "invalid_assessment_rule"


@dataclass(frozen=True)
class AssessmentRule:
    handled_weight: float = 30
    on_time_weight: float = 30
    rework_weight: float = 20
    satisfaction_weight: float = 20
    # (grade, lowest score), best first; below the last bound is "E".
    bounds: tuple[tuple[str, float], ...] = field(
        default=(("A", 95), ("B", 90), ("C", 80), ("D", 60))
    )
    lowest_grade: str = "E"
    # SPEC 5 (2026-12): below this many due orders a unit gets no grade (样本不足).
    minimum_due: int = 0

    def __post_init__(self):
        weights = (
            self.handled_weight,
            self.on_time_weight,
            self.rework_weight,
            self.satisfaction_weight,
        )
        if any(w < 0 for w in weights) or abs(sum(weights) - 100) > 1e-9:
            raise InvalidAssessmentRule("四项权重须为非负数且合计为 100")
        scores = [b for _, b in self.bounds]
        if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise InvalidAssessmentRule("等级分数线须从高到低严格递减")
        if self.minimum_due < 0:
            raise InvalidAssessmentRule("评定等级的最少应办理数不能为负数")


@dataclass(frozen=True)
class UnitCounts:
    due: int  # 应办理数: lead assignments in the period
    handled: int  # 办理数: of those, concluded by the cut-off
    overdue: int  # 超期办理数: of the handled, concluded after the deadline
    rework: int  # 返工数: of the due, sent back at least once
    reached: int  # callbacks that reached the citizen (appeals upheld removed)
    satisfied: int  # satisfied + basically satisfied among the reached
    spot_unsatisfied: int = 0  # 抽查不满意数, reported but not in the score

    def __post_init__(self):
        if min(self.due, self.handled, self.overdue, self.rework, self.reached, self.satisfied) < 0:
            raise InvalidAssessmentRule("考核计数不能为负数")
        if (
            self.handled > self.due
            or self.overdue > self.handled
            or self.rework > self.due
            or self.satisfied > self.reached
        ):
            raise InvalidAssessmentRule("考核计数不一致：办理数不能多于应办理数等")


@dataclass(frozen=True)
class UnitAssessment:
    handled_rate: float
    on_time_rate: float
    rework_rate: float
    satisfaction_rate: float
    score: float
    grade: str | None  # None: fewer due orders than the rule's minimum (样本不足)


def _ratio(numerator: int, denominator: int, *, empty: float) -> float:
    return numerator / denominator if denominator else empty


def assess(counts: UnitCounts, rule: AssessmentRule = AssessmentRule()) -> UnitAssessment:
    handled_rate = _ratio(counts.handled, counts.due, empty=1.0)
    on_time_rate = _ratio(counts.handled - counts.overdue, counts.due, empty=1.0)
    # SPEC 5: rework rate is over handled, not due, and 0 when nothing was handled.
    # Orders sent back and not yet concluded can make rework exceed handled; the rate
    # is capped at 1 so the score stays within 0–100 and concluding never lowers it.
    rework_rate = min(1.0, _ratio(counts.rework, counts.handled, empty=0.0))
    # SPEC 5: 100 % satisfaction when no callback reached a citizen.
    satisfaction_rate = _ratio(counts.satisfied, counts.reached, empty=1.0)
    raw = (
        rule.handled_weight * handled_rate
        + rule.on_time_weight * on_time_rate
        + rule.rework_weight * (1 - rework_rate)
        + rule.satisfaction_weight * satisfaction_rate
    )
    score = float(Decimal(repr(raw)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return UnitAssessment(
        handled_rate=handled_rate,
        on_time_rate=on_time_rate,
        rework_rate=rework_rate,
        satisfaction_rate=satisfaction_rate,
        score=score,
        grade=grade(score, rule) if counts.due >= rule.minimum_due else None,
    )


def grade(score: float, rule: AssessmentRule = AssessmentRule()) -> str:
    for name, bound in rule.bounds:
        if score >= bound:
            return name
    return rule.lowest_grade


class LossRule(Vocabulary):
    """Why a unit lost points (SPEC 5's four terms of the score)."""

    NOT_HANDLED = "not_handled", "未办结"
    OVERDUE = "overdue", "超期办结"
    REWORK = "rework", "返工"
    UNSATISFIED = "unsatisfied", "回访不满意"


@dataclass(frozen=True)
class PointLoss:
    rule: LossRule
    count: int  # orders (or callbacks, for UNSATISFIED) that cost points by this rule
    each: Fraction  # points one of them costs

    @property
    def total(self) -> Fraction:
        return self.each * self.count


def point_losses(counts: UnitCounts, rule: AssessmentRule = AssessmentRule()) -> list[PointLoss]:
    """The points lost, by rule, derived from the score's formula; they sum exactly to
    100 − the unrounded score (the score rounds it to one decimal):

    - a due order not handled loses both its handled share and its on-time share:
      (handled weight + on-time weight) / due;
    - a handled but overdue order loses its on-time share: on-time weight / due;
    - a reworked order loses rework weight / handled — over the rework count when it
      exceeds handled, as the rate is capped at 1 — and nothing when nothing is handled
      (SPEC 5: the rework rate is 0 then);
    - an unsatisfied callback that reached the citizen loses satisfaction weight / reached.
    """
    losses = []
    if counts.due:
        due = Fraction(counts.due)
        weights = Fraction(rule.handled_weight) + Fraction(rule.on_time_weight)
        losses.append(PointLoss(LossRule.NOT_HANDLED, counts.due - counts.handled, weights / due))
        on_time = Fraction(rule.on_time_weight) / due
        losses.append(PointLoss(LossRule.OVERDUE, counts.overdue, on_time))
    if counts.handled:
        over = Fraction(max(counts.handled, counts.rework))
        rework = Fraction(rule.rework_weight) / over
        losses.append(PointLoss(LossRule.REWORK, counts.rework, rework))
    if counts.reached:
        losses.append(
            PointLoss(
                LossRule.UNSATISFIED,
                counts.reached - counts.satisfied,
                Fraction(rule.satisfaction_weight) / counts.reached,
            )
        )
    return [loss for loss in losses if loss.count]
