"""The report's content, once: a list of blocks (headings, paragraphs, tables, charts)
built from the statistics document (SPEC 7) and the editorial. The Word, HTML and
spreadsheet writers only lay these blocks out, so the formats cannot disagree: PDF is
the Word document printed, and the spreadsheet holds exactly the tables shown.

The layout follows the seeds: the Xiangtan monthly report for 一、运行情况 and
二、办理情况, the Yueyang appendix for the assessment table, Longshan's 案例摘选 for the
cases (来电反映 / 处理结果 / 回访).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hotline.domain.enums import Channel, RejectReason, TopicStatus
from hotline.domain.letterhead import Letterhead
from hotline.reports import charts
from hotline.reports import text as t
from hotline.reports.editorial import CaseKind, Editorial

# --- blocks -----------------------------------------------------------------------------


class Rate(float):
    """A fraction shown as a percentage with two decimals."""


class Change(float):
    """A relative change shown signed (+11.20%)."""


class Score(float):
    """An assessment score, one decimal."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 the title, 1 一、…, 2 （一）…
    centred: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # printed bold before the text ("来电反映：")
    # Further (lead, text) pairs of the same paragraph: a case reads as one paragraph
    # (Longshan: 案件公文号…来电反映：…处理结果：…回访：…).
    more: tuple[tuple[str, str], ...] = ()
    # body | note | bold, and the 公文's own parts (GB/T 9704): mark (发文机关标志),
    # number (文号 over the red rule), addressee (主送), attachment (附件说明), signature
    # (落款), date (成文日期), copy_to (抄送), printed_by (印发机关和印发日期)
    style: str = "body"


@dataclass(frozen=True)
class GroupRow:
    """A row spanning the table, naming the group of rows below it (综合评价A类单位)."""

    text: str


@dataclass(frozen=True)
class Table:
    name: str  # the caption, and the spreadsheet's sheet name
    columns: tuple[str, ...]
    rows: tuple[tuple | GroupRow, ...]
    note: str = ""


@dataclass(frozen=True)
class Chart:
    name: str
    caption: str
    png: bytes = field(repr=False)


@dataclass(frozen=True)
class PageBreak:
    landscape: bool = False  # what follows is wide (the assessment table)


Block = Heading | Paragraph | Table | Chart | PageBreak


def cell_text(value) -> str:
    """How any table cell reads in Word and HTML."""
    if value is None:
        return t.NONE
    if isinstance(value, Rate):
        return t.percent(value)
    if isinstance(value, Change):
        return t.signed(value)
    if isinstance(value, Score):
        return t.score(value)
    return str(value)


# --- reading the document ----------------------------------------------------------------

# SPEC 3: the special lines (专席) the seeds count apart; every channel that is neither
# one of them nor a voice or SMS line is an online channel (网上渠道).
SPECIAL_LINES = (Channel.NPC_DEPUTY_LINE, Channel.BUSINESS_LINE, Channel.LEADER_DAY)
VOICE = (Channel.PHONE, Channel.SMS)

# The figures of ``compare`` (SPEC 7) and how a report names them.
FIGURE_NAMES = {
    "offered": "来电量",
    "answered": "接通量",
    "answer_rate": "接通率",
    "accepted": "受理量",
    "resolved_at_intake": "当场答复量",
    "resolved_at_intake_rate": "在线办结率",
    "dispatched": "转办量",
    "rejected": "不予受理量",
    "transferred": "即时转办量",
    "concluded": "办结量",
    "concluded_rate": "办结率",
    "on_time": "按时办结量",
    "on_time_rate": "按时办结率",
    "urgent": "急办件",
    "done": "回访量",
    "satisfaction_rate": "回访满意率",
}


def period_of(document: dict) -> tuple[date, date]:
    period = document["period"]
    return date.fromisoformat(period["from"]), date.fromisoformat(period["to"])


@dataclass(frozen=True)
class Delta:
    """One figure against an earlier period's: the relative change and, when the document
    gives them, the difference and the earlier figure."""

    rate: float | None
    difference: int | float | None = None
    previous: int | float | None = None

    @property
    def comparable(self) -> bool:
        """False when the earlier period had none of the figure (no orders, no calls):
        SPEC 7 says 无可比数据 then, never "增加 N 件" against nothing."""
        return self.previous != 0


@dataclass(frozen=True)
class Comparison:
    key: str
    name: str
    year_on_year: Delta | None
    period_on_period: Delta | None


def _delta(value) -> Delta | None:
    """One entry of ``compare``: ``{current, previous, change, change_rate}`` (the
    difference and the relative change), or a bare relative change."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Delta(float(value))
    if not isinstance(value, dict):
        return None
    current, previous = value.get("current"), value.get("previous")
    difference = value.get("change")
    if difference is None and current is not None and previous is not None:
        difference = current - previous
    rate = value.get("change_rate")
    if rate is None and current is not None and previous:
        rate = (current - previous) / previous
    if rate is None and difference is None:
        return None
    return Delta(rate, difference, previous)


def comparisons(document: dict) -> list[Comparison]:
    """Each compared figure with its 同比 and 环比, in the document's order."""
    compare = document.get("compare") or {}
    yoy = compare.get("year_on_year") or {}
    pop = compare.get("period_on_period") or {}
    keys = [k for k in dict.fromkeys([*yoy, *pop]) if k != "period"]
    found = [
        Comparison(key, FIGURE_NAMES.get(key, key), _delta(yoy.get(key)), _delta(pop.get(key)))
        for key in keys
    ]
    return [c for c in found if c.year_on_year or c.period_on_period]


def _earlier_label(document: dict, key: str) -> str:
    period = ((document.get("compare") or {}).get(key) or {}).get("period")
    try:
        start, end = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    except (KeyError, TypeError, ValueError):
        return ""
    return f"（{t.period_label(start, end)}）"


NO_COMPARISON = "无可比数据"


def _delta_text(name: str, delta: Delta, unit: str) -> str:
    """受理量增加3026件，增幅11.20% — the seeds' wording (同比增加7181件，增幅11.2%);
    SPEC 7 (2026-12): against an earlier period with nothing, 无可比数据."""
    if delta.previous == 0:
        return f"{name}{NO_COMPARISON}"
    if delta.difference is None:
        return f"{name}{t.change(delta.rate)}"
    if delta.difference == 0:
        return f"{name}持平"
    text = f"{name}{'增加' if delta.difference > 0 else '减少'}{abs(delta.difference)}{unit}"
    if delta.rate is not None:
        text += f"，{'增幅' if delta.rate > 0 else '降幅'}{abs(delta.rate) * 100:.2f}%"
    return text


def _comparison_sentences(document: dict, compared: list[Comparison]) -> str:
    sentences = []
    for key, lead in (("year_on_year", "与上年同期"), ("period_on_period", "与上一周期")):
        deltas = [getattr(c, key) for c in compared if getattr(c, key) is not None]
        if deltas and all(d.previous == 0 for d in deltas):
            sentences.append(f"{lead}{_earlier_label(document, key)}{NO_COMPARISON}")
            continue
        parts = [
            _delta_text(c.name, delta, "通" if c.key == "offered" else "件")
            for c in compared
            if (delta := getattr(c, key)) is not None
        ]
        if parts:
            sentences.append(f"{lead}{_earlier_label(document, key)}相比，{'；'.join(parts)}")
    return "。".join(sentences) + "。" if sentences else ""


def _reason_name(reason: str) -> str:
    try:
        return RejectReason.parse(reason).label
    except ValueError:
        return reason


def _channel_group(name: str) -> str:
    try:
        channel = Channel.parse(name)
    except ValueError:
        return "online"
    if channel in SPECIAL_LINES:
        return "special"
    if channel in VOICE:
        return "voice"
    return "online"


def _counted(items: list[dict], unit: str = "件", *, share: bool = False) -> str:
    parts = []
    for item in items:
        part = f"{item['name']}{item['count']}{unit}"
        if share:
            part += f"，占{t.percent(item.get('share'))}"
        parts.append(part)
    return ("；" if share else "、").join(parts)


# --- the report ------------------------------------------------------------------------


class _Sections:
    """Numbers the top-level sections as they are added (一、二、…), so that a report
    without cases or narrative has no gaps."""

    def __init__(self):
        self.count = 0

    def next(self, title: str) -> Heading:
        self.count += 1
        return Heading(f"{t.numeral(self.count)}、{title}", 1)


def report_content(
    document: dict, editorial: Editorial | None = None, letterhead: Letterhead | None = None
) -> list[Block]:
    """The report as a 公文 (SPEC 7, 2026-12; GB/T 9704-2012): 版头 (发文机关标志, 文号,
    the red rule), 标题, 主送, the body, 附件说明, 落款 and 成文日期, the appendix, and
    the 版记 (抄送, 印发)."""
    editorial = editorial or Editorial()
    letterhead = letterhead or Letterhead()
    start, end = period_of(document)
    label = t.period_label(start, end)
    title = editorial.title.strip() or t.default_title(start, end, hotline=letterhead.hotline)
    sections = _Sections()
    figures: list[int] = []  # chart numbers

    def chart(name: str, caption: str, png: bytes) -> Chart:
        figures.append(len(figures) + 1)
        return Chart(name, f"图{len(figures)} {caption}", png)

    issued = t.day_text(letterhead.issued_on) if letterhead.issued_on else ISSUED_BLANK
    blocks: list[Block] = [
        Paragraph(letterhead.shown_mark, style="mark"),
        Paragraph(letterhead.number, style="number"),
        Heading("\n".join(t.title_lines(title)), 0),
        Paragraph(f"{letterhead.recipients.rstrip('：:')}：", style="addressee"),
        Paragraph(
            f"现将{label}{letterhead.hotline}（以下简称12345热线）平台运行情况通报如下"
            + (
                ""
                if t.is_calendar_period(start, end)
                else f"（{t.day_text(start)}至{t.day_text(end)}）"
            )
            + "："
        ),
    ]
    blocks += _narrative(sections, "领导关怀", editorial.care)
    blocks += _operation(document, label, sections, chart)
    blocks += _handling(document, label, sections)
    blocks += _topics(document, label, sections)
    blocks += _narrative(sections, "通报表扬", editorial.praise)
    blocks += _editorial(editorial, sections)
    appendix_title = f"{label}12345热线综合评价情况"
    blocks += [
        Paragraph(f"附件：{appendix_title}", style="attachment"),
        Paragraph(letterhead.issuer, style="signature"),
        Paragraph(issued, style="date"),
    ]
    blocks += _appendix(document, appendix_title)
    if letterhead.copy_to.strip():
        blocks.append(
            Paragraph(f"抄送：{letterhead.copy_to.strip().rstrip('。')}。", style="copy_to")
        )
    blocks.append(Paragraph(f"{letterhead.issuer}\t{issued}印发", style="printed_by"))
    return blocks


# 成文日期 of a report not yet published (a draft's preview, the command's document).
ISSUED_BLANK = "　　年　　月　　日"


def _narrative(sections, title: str, text: str) -> list[Block]:
    paragraphs = t.paragraphs(text)
    if not paragraphs:
        return []
    return [sections.next(title), *(Paragraph(p) for p in paragraphs)]


def _operation(document, label, sections, chart) -> list[Block]:
    calls, intake = document["calls"], document["intake"]
    handling, callbacks = document["handling"], document["callbacks"]
    blocks: list[Block] = [sections.next("12345热线平台运行情况")]
    resolved = f"当场答复{intake['resolved_at_intake']}件"
    if intake.get("harassment") or intake.get("invalid"):
        resolved += (
            f"（含骚扰来电{intake.get('harassment', 0)}件、无效来电{intake.get('invalid', 0)}件）"
        )
    over = "（按接通量计）" if intake.get("resolved_at_intake_over") == "answered_calls" else ""
    transferred = (
        f"即时转办110等紧急热线{intake['transferred']}件，" if intake.get("transferred") else ""
    )
    blocks.append(
        Paragraph(
            f"{label}，12345热线共接到群众来电{calls['offered']}通，接通{calls['answered']}通，"
            f"接通率{t.percent(calls['answer_rate'])}，日均来电{t.daily(calls['daily_offered'])}通；"
            f"受理（含电话、微信、网站等网上渠道）各类诉求{intake['accepted']}件{_citizens(intake)}。"
            f"{resolved}，在线办结率{over}{t.percent(intake['resolved_at_intake_rate'])}；"
            f"形成转办工单{intake['dispatched']}件，{transferred}不予受理{intake['rejected']}件；"
            f"转办工单办结{handling['concluded']}件，办结率{t.percent(handling['concluded_rate'])}"
            + _concluded_in_period(handling)
            + f"；按时办结率{t.percent(handling['on_time_rate'])}"
            + (
                f"；签收及时率{t.percent(handling['sign_on_time_rate'])}"
                if "sign_on_time_rate" in handling
                else ""
            )
            + f"；回访率{t.percent(callbacks['rate'])}；"
            f"回访满意率{t.percent(callbacks['satisfaction_rate'])}{_three_rates(document)}。"
        )
    )
    if calls.get("answered_within_15s_rate") is not None:
        # SPEC 8 (2026-12): the GB/T 33358 figures, when the calls' waits are known.
        blocks.append(
            Paragraph(
                f"话务服务质量：15秒接通率{t.percent(calls['answered_within_15s_rate'])}，"
                f"平均等待{calls['average_wait_seconds']}秒，呼损（未接通即挂断）{calls['abandoned']}通。"
            )
        )
    compared = comparisons(document)
    if sentence := _comparison_sentences(document, compared):
        blocks.append(Paragraph(sentence))
    blocks.append(_headline_table(document, compared))
    if intake.get("rejected") and intake.get("rejected_by_reason"):
        reasons = "；".join(
            f"{_reason_name(reason)}{n}件"
            for reason, n in sorted(intake["rejected_by_reason"].items(), key=lambda p: -p[1])
        )
        blocks.append(Paragraph(f"不予受理{intake['rejected']}件，其中：{reasons}。", style="note"))

    appeal_types = document["appeal_types"]
    blocks.append(Heading("（一）诉求类型", 2))
    if appeal_types:
        blocks.append(Paragraph(f"诉求类型占比：{_counted(appeal_types, share=True)}。"))
    else:
        blocks.append(Paragraph("本期无受理诉求。"))

    categories = document["top_categories"]
    # SPEC 7 (2026-12): the catalogue level is said when it is not the usual 中类.
    level = document.get("topic_level", 2)
    by = "" if level == 2 else f"（按事项{TOPIC_LEVELS.get(level, '')}统计）"
    blocks.append(Heading("（二）十大热点事项", 2))
    if categories:
        blocks.append(Paragraph(f"十大热点事项{by}：{_counted(categories)}。见下图。"))
        blocks.append(chart("top_categories", "十大热点事项", charts.top_categories(document)))
    else:
        blocks.append(Paragraph("本期无热点事项。"))
    return blocks


TOPIC_LEVELS = {1: "大类", 2: "中类", 3: "小类"}


def _three_rates(document: dict) -> str:
    """SPEC 5 (2026-12): 响应率 and 解决率 beside satisfaction; a document made before
    they existed has no ``rates``."""
    rates = document.get("rates")
    if rates is None:
        return ""
    return (
        f"；响应率{t.percent(rates['response_rate'])}；解决率{t.percent(rates['resolution_rate'])}"
    )


def _citizens(intake: dict) -> str:
    """SPEC 7 (2026-12), as Longshan: （其中城镇居民来电2575个、乡镇村民来电349个）."""
    citizens = intake.get("citizens") or []
    if not citizens:
        return ""
    return f"（其中{_counted(citizens)}）"


def _concluded_in_period(handling: dict) -> str:
    """办结 含上月流转 (SPEC 7, 2026-12), when the document has it."""
    if "concluded_in_period" not in handling:
        return ""
    return f"，本期共办结{handling['concluded_in_period']}件（含上期流转）"


def _headline_table(document, compared) -> Table:
    """The compared counts with the earlier periods' (SPEC 7 ``compare``); the rates are
    in the words above it, not repeated here."""
    rows = []
    compared = compared or [
        Comparison(key, FIGURE_NAMES[key], None, None)
        for key in ("accepted", "resolved_at_intake", "dispatched", "concluded", "offered")
    ]
    for c in compared:
        current = _current(document, c.key)
        cells = [FIGURE_NAMES.get(c.key, c.key) + ("（通）" if c.key == "offered" else "（件）")]
        cells.append(current)
        for delta in (c.year_on_year, c.period_on_period):
            if delta is None:
                cells += [None, None]
            elif delta.previous == 0:
                cells += [0, NO_COMPARISON]
            else:
                cells += [delta.previous, _change(delta.rate)]
        rows.append(tuple(cells))
    return Table(
        "主要指标",
        ("指标", "本期", "上年同期", "同比", "上一周期", "环比"),
        tuple(rows),
    )


def _current(document: dict, key: str):
    for group in ("calls", "intake", "handling", "callbacks"):
        if key in document.get(group, {}):
            return document[group][key]
    return None


def _rate(value) -> Rate | None:
    return None if value is None else Rate(value)


def _change(value: float | str | None) -> Change | str | None:
    """A relative change, or the words saying there is none to make (NO_DATA)."""
    return Change(value) if isinstance(value, float) else value


def _handling(document, label, sections) -> list[Block]:
    intake, handling = document["intake"], document["handling"]
    callbacks, top = document["callbacks"], document["top_units"]
    numbers = iter(range(1, 20))

    def sub(title: str) -> Heading:
        return Heading(f"（{t.numeral(next(numbers))}）{title}", 2)

    blocks: list[Block] = [sections.next("事件办理情况"), sub("转办工单办理数量")]
    units = top["units"]
    urgent, urgent_on_time = handling["urgent"], handling["urgent_on_time"]
    if units:
        blocks.append(
            Paragraph(
                f"{label}共计转办工单{intake['dispatched']}件，其中，{_counted(units)}。"
                f"以上{len(units)}家单位工单承办量占转办工单总量的{t.percent(top['top10_share'])}。"
            )
        )
    else:
        blocks.append(Paragraph(f"{label}无转办工单。"))
    blocks.append(
        Paragraph(
            f"转办工单办结{handling['concluded']}件，办结率{t.percent(handling['concluded_rate'])}；"
            f"按时办结{handling['on_time']}件，按时办结率{t.percent(handling['on_time_rate'])}；"
            f"经批准延期办理{handling['extended']}件；承办单位退单{handling['returned']}件"
            # Reports made before 签收及时率 existed (SPEC 5, 2026-12) do not carry it.
            + (
                f"；签收及时率{t.percent(handling['sign_on_time_rate'])}"
                if "sign_on_time_rate" in handling
                else ""
            )
            + f"。急办工单{urgent}件，已及时办理{urgent_on_time}件"
            + (f"，及时办理率{t.percent(urgent_on_time / urgent)}。" if urgent else "。")
        )
    )
    blocks += _districts(document, sub)
    blocks += _lines(document, label, sub)
    blocks.append(sub("回访情况"))
    blocks.append(
        Paragraph(
            f"{label}应回访工单{callbacks['needed']}件，已回访{callbacks['done']}件，"
            f"回访率{t.percent(callbacks['rate'])}；其中联系上诉求人{callbacks['reached']}件，"
            f"满意及基本满意{callbacks['satisfied']}件，回访满意率"
            f"{t.percent(callbacks['satisfaction_rate'])}。"
        )
    )
    blocks.append(sub("综合评价情况"))
    blocks += _assessment_summary(document)
    blocks.append(sub("黄牌预警"))
    blocks += _violations(document)
    return blocks


DISTRICT_COLUMNS = ("单位", "转办工单", "占转办量", "办结", "按时办结率", "回访满意率")


def _districts(document, sub) -> list[Block]:
    """SPEC 7 (2026-12), as Changsha: 各区县(市)签收数占转派总数的51%，市直单位39%."""
    rows = document.get("districts") or []
    if not rows:
        return []
    shares = {
        kind: sum(r["orders"] for r in rows if r["kind"] == kind) for kind in ("district", "city")
    }
    total = sum(r["orders"] for r in rows)
    text = (
        f"各区县（市）承办转办工单{shares['district']}件，占转办工单总量的"
        f"{t.percent(shares['district'] / total if total else None)}；市直部门承办"
        f"{shares['city']}件，占{t.percent(shares['city'] / total if total else None)}。"
    )
    return [
        sub("区县和市直部门办理情况"),
        Paragraph(text),
        Table(
            "区县和市直部门办理情况",
            DISTRICT_COLUMNS,
            tuple(
                (
                    r["name"],
                    r["orders"],
                    _rate(r["share"]),
                    r["concluded"],
                    _rate(r["on_time_rate"]),
                    _rate(r["satisfaction_rate"]),
                )
                for r in rows
            ),
        ),
    ]


LINE_COLUMNS = (
    "专席、渠道和专项",
    "受理",
    "同比",
    "办结",
    "按时办结率",
    "满意率",
    "主要事项",
    "主要承办单位",
)


def _names(items: list[dict], limit: int) -> str:
    return "、".join(i["name"] for i in items[:limit]) or t.NONE


def _lines(document, label, sub) -> list[Block]:
    """SPEC 7 (2026-12): each special line, online channel and tag in one table; the
    seeds' sentences for the online channels as a total. Documents made before the
    lines existed list the channels and tags."""
    lines = document.get("lines")
    channels = document["channels"]
    online = [c for c in channels if _channel_group(c["name"]) == "online"]
    special = [c for c in channels if _channel_group(c["name"]) == "special"]
    heading = sub("专项、专席和网上渠道诉求办理情况")
    total_online = sum(c["count"] for c in online)
    text = (
        f"{label}，12345热线平台受理网上渠道诉求共计{total_online}件"
        + (f"，专席诉求{sum(c['count'] for c in special)}件" if special else "")
        + (f"，专项诉求{sum(g['count'] for g in document['tags'])}件" if document["tags"] else "")
        + "。"
    )
    blocks: list[Block] = []
    if lines is None:
        items = [f"“{tag['name']}”专项诉求{tag['count']}件" for tag in document["tags"]] + [
            f"“{line['name']}”共受理诉求{line['count']}件" for line in special
        ]
        blocks.append(Paragraph(text + ("其中" + "；".join(items) + "。" if items else "")))
        if channels:
            blocks.append(
                Table(
                    "受理渠道",
                    ("受理渠道", "件数"),
                    tuple((c["name"], c["count"]) for c in channels),
                )
            )
    elif not lines:
        blocks.append(Paragraph(f"{label}无专项、专席和网上渠道诉求。"))
    else:
        blocks.append(Paragraph(text + "各专席、渠道和专项办理情况见下表。"))
        blocks.append(
            Table(
                "专项、专席和网上渠道诉求办理情况",
                LINE_COLUMNS,
                tuple(
                    (
                        line["name"],
                        line["accepted"],
                        NO_COMPARISON
                        if not line["previous_accepted"]
                        else _change(line["change_rate"]),
                        line["concluded"],
                        _rate(line["on_time_rate"]),
                        _rate(line["satisfaction_rate"]),
                        _names(line["topics"], 2),
                        _names(line["units"], 2),
                    )
                    for line in lines
                ),
            )
        )
        blocks += _deputy_levels(lines)
    return [heading, *blocks]


DEPUTY_COLUMNS = ("代表级别", "受理", "办结", "按时办结率", "满意率")


def _deputy_levels(lines: list[dict]) -> list[Block]:
    """SPEC 7 (2026-12): 人大代表专席 by the deputies' level, when the line had orders
    (documents made before levels were recorded have none)."""
    levels = next((line.get("levels") for line in lines if line.get("levels")), None)
    if not levels:
        return []
    return [
        Paragraph(
            "人大代表专席按代表级别，"
            + "，".join(f"{level['name']}{level['accepted']}件" for level in levels)
            + "。"
        ),
        Table(
            "人大代表专席诉求按代表级别办理情况",
            DEPUTY_COLUMNS,
            tuple(
                (
                    level["name"],
                    level["accepted"],
                    level["concluded"],
                    _rate(level["on_time_rate"]),
                    _rate(level["satisfaction_rate"]),
                )
                for level in levels
            ),
        ),
    ]


def _topics(document, label, sections) -> list[Block]:
    """每月一题 (主动治理): each topic pushed on or solved in the period, one paragraph
    each as the offices write them. Documents made before topics existed, and periods
    without any, have no section."""
    topics = document.get("topics") or []
    if not topics:
        return []
    solved = sum(1 for topic in topics if topic["status"] == TopicStatus.SOLVED.label)
    orders = sum(topic["orders"] for topic in topics)
    blocks: list[Block] = [
        sections.next("每月一题（主动治理）推进情况"),
        Paragraph(
            f"{label}，推进“每月一题”{len(topics)}项，其中已解决{solved}项，"
            f"共关联群众诉求工单{orders}件。"
        ),
    ]
    for n, topic in enumerate(topics, 1):
        units = f"牵头单位：{topic['lead_unit']}"
        if topic["co_units"]:
            units += f"；配合单位：{'、'.join(topic['co_units'])}"
        text = (
            f"{units}。{topic['status']}，关联工单{topic['orders']}件，"
            f"工作节点完成{topic['milestones_done']}/{topic['milestones']}"
        )
        if topic["latest_progress"]:
            text += f"；最新进展（{topic['latest_progress_at'][:10]}）：{topic['latest_progress']}"
        if topic["recurrences"]:
            text += f"；解决后新增同类工单{topic['recurrences']}件，需回头看"
        blocks.append(Paragraph(text.rstrip("。") + "。", lead=f"{n}.{topic['title']}　"))
    return blocks


# SPEC 5 (2026-12): what a row without a grade shows (fewer due orders than the minimum).
TOO_FEW = "样本不足"


def _violations(document) -> list[Block]:
    """SPEC 6 (2026-12): each violation with its unit, order and outcome. Documents
    published before the list existed have no ``violations``."""
    found = document.get("violations") or []
    if not found:
        return [Paragraph("本期无违规记录。")]
    units = sorted({v["unit"] for v in found})
    text = f"本期记录违规{len(found)}起，涉及成员单位{len(units)}家：{'、'.join(units)}。"
    rows = tuple(
        (v["unit"], v["number"] or "—", v["kind"], v["outcome"] or "待处理", v["at"][:10])
        for v in found
    )
    return [
        Paragraph(text),
        Table("黄牌预警", ("单位", "工单编号", "违规类型", "处理结果", "发现日期"), rows),
    ]


def _assessment_summary(document) -> list[Block]:
    assessment, idle = document["assessment"], document["idle_units"]
    if not assessment and not idle:
        return [Paragraph("本期无参加综合评价的成员单位。")]
    grades: dict[str, int] = {}
    for item in assessment:
        # SPEC 5 (2026-12): a unit below the minimum of due orders has no grade.
        grade = item["grade"] or TOO_FEW
        grades[grade] = grades.get(grade, 0) + 1
    total = len(assessment)
    counts = "；".join(
        f"{grade}{'' if grade == TOO_FEW else '类'}{n}家，占比{t.percent(n / total)}"
        for grade, n in sorted(grades.items())
    )
    text = f"本期参加综合评价的成员单位{total}家，其中{counts}"
    if idle:
        text += f"；无工单办理单位{len(idle)}家"
    blocks: list[Block] = [Paragraph(text + "。各单位综合评价情况见附件。")]
    low = [item["unit"] for item in assessment if item["grade"] not in ("A", "B", None)]
    if low:
        blocks.append(
            Paragraph(f"考核等级在C类及以下的成员单位{len(low)}家，分别是：{'、'.join(low)}。")
        )
    changed = [
        item
        for item in assessment
        if item.get("previous_grade") and item["grade"] and item["previous_grade"] != item["grade"]
    ]
    if changed:
        up = [i for i in changed if i["grade"] < i["previous_grade"]]
        down = [i for i in changed if i["grade"] > i["previous_grade"]]
        if len(changed) > GRADE_CHANGES_IN_WORDS:
            # Many changes read as a table, not as a paragraph repeating it.
            blocks.append(
                Paragraph(
                    f"与上期相比，考核等级上升的单位{len(up)}家，下降的单位{len(down)}家，见下表。"
                )
            )
            blocks.append(
                Table(
                    "等级变化",
                    ("部门名称", "上期等级", "本期等级", "变化"),
                    tuple(
                        (i["unit"], i["previous_grade"], i["grade"], "上升" if i in up else "下降")
                        for i in up + down
                    ),
                )
            )
        else:
            sentences = []
            for items, verb, way in ((up, "上升", "升至"), (down, "下降", "降至")):
                if items:
                    sentences.append(
                        f"考核等级{verb}的单位："
                        + "、".join(
                            f"{i['unit']}（由{i['previous_grade']}类{way}{i['grade']}类）"
                            for i in items
                        )
                    )
            blocks.append(Paragraph("；".join(sentences) + "。"))
    return blocks


# As Yueyang writes a few grade changes (由B类升至A类); more go to a table.
GRADE_CHANGES_IN_WORDS = 5


def _editorial(editorial: Editorial, sections) -> list[Block]:
    blocks: list[Block] = []
    experience = t.paragraphs(editorial.experience)
    if experience:
        blocks.append(sections.next("经验做法"))
        blocks += [Paragraph(p) for p in experience]
    if editorial.cases:
        blocks.append(sections.next("案例摘选"))
        groups = [
            (kind, editorial.cases_of(kind))
            for kind in (CaseKind.EXCELLENT, CaseKind.TYPICAL)
            if editorial.cases_of(kind)
        ]
        for n, (kind, cases) in enumerate(groups, 1):
            if len(groups) > 1:
                blocks.append(Heading(f"（{t.numeral(n)}）{kind.label}", 2))
            else:
                blocks.append(Heading(kind.label, 2))
            for i, case in enumerate(cases, 1):
                head = f"{i}.案件公文号{case.number}"
                if case.title:
                    head += f"　{case.title}"
                blocks.append(
                    Paragraph(
                        case.complaint or t.NONE,
                        lead=f"{head}　来电反映：",
                        more=(
                            ("处理结果：", case.result or t.NONE),
                            ("回访：", case.callback or t.NONE),
                        ),
                    )
                )
    problems = t.paragraphs(editorial.problems)
    if problems:
        blocks.append(sections.next("存在的问题"))
        blocks += [Paragraph(p) for p in problems]
    next_steps = t.paragraphs(editorial.next_steps)
    if next_steps:
        blocks.append(sections.next("下一步工作要求"))
        blocks += [Paragraph(p) for p in next_steps]
    return blocks


ASSESSMENT_COLUMNS = (
    "部门名称",
    "应办理数",
    "办理数",
    "办结率",
    "超期办理数",
    "按期办结率",
    "返工数",
    "返工率",
    "抽查不满意数",
    "群众满意率",
    "综合指标值",
    "等级评价",
)


def _assessment_row(item: dict) -> tuple:
    return (
        item["unit"],
        item["due"],
        item["handled"],
        _rate(item["handled_rate"]),
        item["overdue"],
        _rate(item["on_time_rate"]),
        item["rework"],
        _rate(item["rework_rate"]),
        item["spot_unsatisfied"],
        _rate(item["satisfaction_rate"]),
        None if item["score"] is None else Score(item["score"]),
        item["grade"] or TOO_FEW,
    )


def _appendix(document, title) -> list[Block]:
    """The Yueyang appendix: units grouped A, B, C and below, those without a grade; the
    units without orders named below the table."""
    assessment, idle = document["assessment"], document["idle_units"]
    groups = [
        ("综合评价A类单位", [i for i in assessment if i["grade"] == "A"]),
        ("综合评价B类单位", [i for i in assessment if i["grade"] == "B"]),
        ("综合评价C类及以下单位", [i for i in assessment if i["grade"] not in ("A", "B", None)]),
        (TOO_FEW, [i for i in assessment if i["grade"] is None]),
    ]
    rows: list[tuple | GroupRow] = []
    for name, items in groups:
        if items:
            rows.append(GroupRow(name))
            rows += [_assessment_row(i) for i in items]
    note = f"无工单办理单位{len(idle)}家：{'、'.join(idle)}。" if idle else ""
    return [
        PageBreak(),
        Paragraph("附件", style="appendix"),
        Heading(title, 1, centred=True),
        Table("综合评价", ASSESSMENT_COLUMNS, tuple(rows), note=note)
        if rows
        else Paragraph("本期无参加综合评价的成员单位。" + note),
    ]
