"""How an office counts two of the report's figures (SPEC 7, 2026-12), as settings.

- 在线办结率: resolved at intake over the orders accepted (Xiangtan: 20676 / 30044 =
  68.82 %), or over the calls answered (Changsha: 69890 / 100839 = 69.3 %).
- 热点事项: counted at the catalogue's first level (大类, as Yueyang: 城市管理类 5341,
  13.45 %), the middle level (中类, Xiangtan's 消费维权, the default) or the third.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.domain.errors import DomainError


class InvalidReportRule(DomainError):
    code = "invalid_report_rule"


class OnlineRateOver(StrEnum):
    ACCEPTED = "accepted"
    ANSWERED_CALLS = "answered_calls"

    @property
    def label(self) -> str:
        return {OnlineRateOver.ACCEPTED: "受理量", OnlineRateOver.ANSWERED_CALLS: "来电接通量"}[
            self
        ]


TOPIC_LEVELS = {1: "大类", 2: "中类", 3: "小类"}


@dataclass(frozen=True)
class ReportRule:
    online_rate_over: OnlineRateOver | str = OnlineRateOver.ACCEPTED
    topic_level: int | str = 2

    def __post_init__(self):
        try:
            over = OnlineRateOver(self.online_rate_over)
        except ValueError:
            raise InvalidReportRule(
                f"在线办结率的分母只能是 accepted（受理量）或 answered_calls（来电接通量），"
                f"不能是「{self.online_rate_over}」"
            ) from None
        level = self.topic_level
        if isinstance(level, str):
            level = {name: n for n, name in TOPIC_LEVELS.items()}.get(level.strip(), level)
        if isinstance(level, bool) or level not in TOPIC_LEVELS:
            raise InvalidReportRule(
                "热点事项的分类层级只能是 1（大类）、2（中类）或 3（小类），"
                f"不能是「{self.topic_level}」"
            )
        object.__setattr__(self, "online_rate_over", over)
        object.__setattr__(self, "topic_level", level)
