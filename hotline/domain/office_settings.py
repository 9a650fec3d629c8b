"""The settings a hotline office may change, with the seed's defaults (STYLE: constants
the office may change are settings, not literals).

Values are stored as JSON; ``parse`` reads the text an administrator types, and
``validate`` builds every rule object from the would-be values so that a bad value is
refused before it is saved.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass

from hotline.domain.assessment import AssessmentRule
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.deadlines import DeadlinePolicy, InvalidPolicy
from hotline.domain.errors import DomainError
from hotline.domain.telephony import DEFAULT_MISSED_CALL_MINUTES

# A day: longer and the list would call back people about yesterday's calls.
MAX_MISSED_MINUTES = 1440


class UnknownSetting(DomainError):
    code = "unknown_setting"


class InvalidSetting(DomainError):
    code = "invalid_setting"


@dataclass(frozen=True)
class Key:
    description: str
    example: str


KEYS: Mapping[str, Key] = {
    "callback_scope": Key(
        "回访范围：all（除骚扰、无效、不予受理外的全部工单）或 dispatched", "all"
    ),
    "sign_for_hours": Key("签收时限（工作小时）", "2"),
    "urgent_sign_for_minutes": Key("急办件签收时限（分钟）", "30"),
    "urgent_reply_hours": Key("急办件办理时限（小时）", "24"),
    "days_by_appeal_type": Key("各诉求类型办理时限（工作日）", '{"consult": 5, "help": 15}'),
    "days_by_category": Key("各事项分类办理时限（工作日，按分类编码）", '{"0101": 5}'),
    "default_days": Key("默认办理时限（工作日）", "10"),
    "office_hours_start": Key("上班时间", "08:30"),
    "office_hours_end": Key("下班时间", "17:30"),
    "yellow_fraction": Key("黄色预警：剩余时间占比", "0.2"),
    "assessment_weights": Key(
        "综合评价四项权重（合计 100）",
        '{"handled": 30, "on_time": 30, "rework": 20, "satisfaction": 20}',
    ),
    "grade_bounds": Key("综合评价等级分数线", '{"A": 95, "B": 90, "C": 80, "D": 60}'),
    "missed_call_minutes": Key(
        "漏接回拨：未接来电多少分钟内未再接通、未登记工单即进入回拨名单", "30"
    ),
}

# One setting for the four weights: they must sum to 100, so they change together.
_WEIGHTS = ("handled", "on_time", "rework", "satisfaction")


def parse(key: str, text: str) -> object:
    """The typed value of ``text``: JSON where it parses, else the bare string."""
    if key not in KEYS:
        known = "、".join(KEYS)
        raise UnknownSetting(f"没有名为「{key}」的配置项，可用的配置项：{known}")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def deadline_policy(values: Mapping[str, object]) -> DeadlinePolicy:
    try:
        return DeadlinePolicy.from_settings(values)
    except InvalidPolicy as error:
        raise InvalidSetting(error.message) from error


def callback_scope(values: Mapping[str, object]) -> CallbackScope:
    raw = values.get("callback_scope", CallbackScope.DISPATCHED.value)
    try:
        return CallbackScope(raw)
    except ValueError:
        raise InvalidSetting(f"回访范围只能是 all 或 dispatched，不能是「{raw}」") from None


def assessment_rule(values: Mapping[str, object]) -> AssessmentRule:
    kwargs: dict[str, object] = {}
    if "assessment_weights" in values:
        weights = values["assessment_weights"]
        if not isinstance(weights, dict) or set(weights) != set(_WEIGHTS):
            raise InvalidSetting(f"综合评价权重须为包含 {'、'.join(_WEIGHTS)} 四项的对象")
        for name in _WEIGHTS:
            kwargs[f"{name}_weight"] = _number(name, weights[name])
    if "grade_bounds" in values:
        bounds = values["grade_bounds"]
        if not isinstance(bounds, dict) or not bounds:
            raise InvalidSetting('等级分数线须为形如 {"A": 95, "B": 90} 的对象')
        kwargs["bounds"] = tuple(
            sorted(((str(g), _number(g, b)) for g, b in bounds.items()), key=lambda p: -p[1])
        )
    try:
        return AssessmentRule(**kwargs)
    except DomainError as error:
        raise InvalidSetting(error.message) from error


def missed_call_minutes(values: Mapping[str, object]) -> int:
    """SPEC 8: how long a missed caller has to get through (or be registered) before
    the number lands on the missed-call callback list."""
    raw = values.get("missed_call_minutes", DEFAULT_MISSED_CALL_MINUTES)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_MISSED_MINUTES:
        raise InvalidSetting(f"漏接回拨分钟数须为 0–{MAX_MISSED_MINUTES} 的整数，当前为 {raw!r}")
    return raw


def validate(values: Mapping[str, object]) -> None:
    deadline_policy(values)
    callback_scope(values)
    assessment_rule(values)
    missed_call_minutes(values)


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSetting(f"「{name}」须为数字，当前为 {value!r}")
    return float(value)
