"""The settings a hotline office may change, with the seed's defaults (STYLE: constants
the office may change are settings, not literals).

Values are stored as JSON; ``parse`` reads the text an administrator types, and
``validate`` builds every rule object from the would-be values so that a bad value is
refused before it is saved.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass

from hotline.domain.appeal_window import DEFAULT_WINDOW_DAYS
from hotline.domain.assessment import AssessmentRule
from hotline.domain.callback_scope import CallbackScope
from hotline.domain.deadlines import DeadlinePolicy, InvalidPolicy
from hotline.domain.errors import DomainError
from hotline.domain.letterhead import InvalidLetterhead, Letterhead
from hotline.domain.rates import RatesRule
from hotline.domain.report_rules import InvalidReportRule, ReportRule
from hotline.domain.supervision import InvalidSupervisionRule, SupervisionRule
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
    "sign_for_supervision_hours": Key("签收超时后仍未签收、自动督办前的工作小时数", "2"),
    "pause_approval_days": Key("单位暂停计时超过此工作日数须经热线办审批", "5"),
    "assessment_weights": Key(
        "综合评价四项权重（合计 100）",
        '{"handled": 30, "on_time": 30, "rework": 20, "satisfaction": 20}',
    ),
    "grade_bounds": Key("综合评价等级分数线", '{"A": 95, "B": 90, "C": 80, "D": 60}'),
    "assessment_minimum_due": Key("评定等级的最少应办理数（不足为样本不足，不评等级）", "5"),
    "appeal_window_days": Key("申诉期限（回访或预评结果公布后的工作日数）", "3"),
    "assessment_classes": Key(
        "分档分类评价：单位编码或单位类型 → 档次名称（未列出的按单位类型默认分档）",
        '{"district_government": "区县政府", "department": "市直部门"}',
    ),
    "supervision_reply_days": Key(
        "督办回复期限（工作日，按督办级别）", '{"normal": 5, "yellow": 3, "red": 2}'
    ),
    "response_days": Key("响应时限：签收后首次联系诉求人的工作日数", "1"),
    "partly_solved_weight": Key("解决率中「部分解决」的计分（0 到 1）", "0.5"),
    "three_rate_weights": Key(
        "以三率计算综合指标值的权重（合计 100；不设置则按四项指标计算）",
        '{"response": 30, "resolution": 30, "satisfaction": 40}',
    ),
    "missed_call_minutes": Key(
        "漏接回拨：未接来电多少分钟内未再接通、未登记工单即进入回拨名单", "30"
    ),
    "open311_public_reads": Key(
        "Open311 是否向公众开放工单查询（true/false，默认 false；开放时内容脱敏，"
        "举报和保密工单不公开）",
        "false",
    ),
    # SPEC 7 (2026-12): the report is a 公文 (GB/T 9704) with the office's letterhead.
    "report_hotline": Key("通报标题中的热线名称", "湘潭市12345政务服务便民热线"),
    "report_issuer": Key("发文机关（落款署名、印发机关）", "湘潭市数据局"),
    "report_letterhead": Key("发文机关标志（红头；不设置则用发文机关）", "湘潭市数据局"),
    "report_number_pattern": Key(
        "文号格式：{year} 为年份，{n} 为当年发文顺序号", "潭数〔{year}〕{n}号"
    ),
    "report_recipients": Key(
        "主送机关", "各县市区人民政府，湘潭高新区、经开区管委会，市直机关各单位"
    ),
    "report_copy_to": Key("抄送机关（不设置则无抄送行）", "市委办公室，市人大常委会办公室"),
    "report_online_rate_over": Key(
        "在线办结率的分母：accepted（受理量）或 answered_calls（来电接通量）", "accepted"
    ),
    "report_topic_level": Key("热点事项的分类层级：1 大类、2 中类、3 小类", "2"),
}

# SPEC 5 (2026-12): the office's default minimum of due orders for a grade.
DEFAULT_MINIMUM_DUE = 5

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
    minimum = values.get("assessment_minimum_due", DEFAULT_MINIMUM_DUE)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        raise InvalidSetting(f"评定等级的最少应办理数须为非负整数，当前为 {minimum!r}")
    kwargs["minimum_due"] = minimum
    try:
        return AssessmentRule(**kwargs)
    except DomainError as error:
        raise InvalidSetting(error.message) from error


def assessment_classes(values: Mapping[str, object]) -> dict[str, str]:
    """The office's classes by unit code or kind (``domain.assessment_classes``)."""
    classes = values.get("assessment_classes", {})
    if not isinstance(classes, dict) or not all(
        isinstance(name, str) and name.strip() for name in classes.values()
    ):
        raise InvalidSetting('分档分类须为形如 {"department": "市直部门"} 的对象，档次名称不能为空')
    return {str(key): name.strip() for key, name in classes.items()}


def appeal_window_days(values: Mapping[str, object]) -> int:
    days = values.get("appeal_window_days", DEFAULT_WINDOW_DAYS)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InvalidSetting(f"申诉期限须为正整数（工作日），当前为 {days!r}")
    return days


def supervision_rule(values: Mapping[str, object]) -> SupervisionRule:
    try:
        return SupervisionRule.from_settings(values)
    except InvalidSupervisionRule as error:
        raise InvalidSetting(error.message) from error


_RATES = ("response", "resolution", "satisfaction")


def rates_rule(values: Mapping[str, object]) -> RatesRule:
    kwargs: dict[str, object] = {}
    if "response_days" in values:
        kwargs["response_days"] = values["response_days"]
    if "partly_solved_weight" in values:
        kwargs["partly_weight"] = _number("partly_solved_weight", values["partly_solved_weight"])
    weights = values.get("three_rate_weights")
    if weights is not None:
        if not isinstance(weights, dict) or set(weights) != set(_RATES):
            raise InvalidSetting(f"三率权重须为包含 {'、'.join(_RATES)} 三项的对象")
        kwargs["weights"] = tuple(_number(name, weights[name]) for name in _RATES)
    try:
        return RatesRule(**kwargs)
    except DomainError as error:
        raise InvalidSetting(error.message) from error


def missed_call_minutes(values: Mapping[str, object]) -> int:
    """SPEC 8: how long a missed caller has to get through (or be registered) before
    the number lands on the missed-call callback list."""
    raw = values.get("missed_call_minutes", DEFAULT_MISSED_CALL_MINUTES)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_MISSED_MINUTES:
        raise InvalidSetting(f"漏接回拨分钟数须为 0–{MAX_MISSED_MINUTES} 的整数，当前为 {raw!r}")
    return raw


def open311_public_reads(values: Mapping[str, object]) -> bool:
    """SPEC 11 (2026-12): whether anyone may read the orders through Open311; off unless
    the office turns it on."""
    raw = values.get("open311_public_reads", False)
    if not isinstance(raw, bool):
        raise InvalidSetting(f"Open311 公开查询只能是 true 或 false，当前为 {raw!r}")
    return raw


_LETTERHEAD = {
    "report_hotline": "hotline",
    "report_issuer": "issuer",
    "report_letterhead": "mark",
    "report_number_pattern": "number_pattern",
    "report_recipients": "recipients",
    "report_copy_to": "copy_to",
}


def letterhead(values: Mapping[str, object]) -> Letterhead:
    """SPEC 7 (2026-12): the 公文's letterhead, 文号 pattern and distribution."""
    kwargs: dict[str, str] = {}
    for key, name in _LETTERHEAD.items():
        if key in values:
            value = values[key]
            if not isinstance(value, str | int):
                raise InvalidSetting(f"「{KEYS[key].description}」须为文字")
            kwargs[name] = str(value).strip()
    try:
        return Letterhead(**kwargs)
    except InvalidLetterhead as error:
        raise InvalidSetting(error.message) from error


def report_rule(values: Mapping[str, object]) -> ReportRule:
    """SPEC 7 (2026-12): the 在线办结率 denominator and the hot-topic level."""
    kwargs: dict[str, object] = {}
    if "report_online_rate_over" in values:
        kwargs["online_rate_over"] = values["report_online_rate_over"]
    if "report_topic_level" in values:
        kwargs["topic_level"] = values["report_topic_level"]
    try:
        return ReportRule(**kwargs)
    except InvalidReportRule as error:
        raise InvalidSetting(error.message) from error


def validate(values: Mapping[str, object]) -> None:
    deadline_policy(values)
    callback_scope(values)
    assessment_rule(values)
    assessment_classes(values)
    appeal_window_days(values)
    supervision_rule(values)
    rates_rule(values)
    missed_call_minutes(values)
    open311_public_reads(values)

    letterhead(values)
    report_rule(values)


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidSetting(f"「{name}」须为数字，当前为 {value!r}")
    return float(value)
