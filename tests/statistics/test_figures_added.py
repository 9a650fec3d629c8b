"""The figures SPEC 7 added in 2026-12, each on a handful of orders whose histories say
what it must count: 即时转办, 办结 含上月流转, the districts, the lines, the citizens'
kinds, the hot-topic level and the online rate's denominator."""

from datetime import date, datetime, timedelta

import pytest

from hotline.configuration.services import setting_set
from hotline.directory.models import Category
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.errors import DomainError
from hotline.domain.statistics import online_rate
from hotline.orders.models import Order
from hotline.statistics.document import report_document
from tests.statistics.histories import Line, event, import_calls, import_orders, stamp

pytestmark = pytest.mark.django_db

D = timedelta(days=1)
H = timedelta(hours=1)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def _handled(t: datetime, unit: str, *, late=False, callback="satisfied") -> list[dict]:
    deadline = t + H if late else t + 5 * D
    events = [
        event("dispatch", t + 0.01 * H, unit=unit),
        event("sign", t + 0.1 * H, unit=unit, deadline=stamp(deadline)),
        event("reply", t + 2 * H, unit=unit, text="已处理"),
        event("review", t + 3 * H, decision="accept"),
    ]
    if callback:
        events.append(event("callback", t + D, result=callback))
    return events


def _dispatched(t, unit, *, channel="phone", category="0501", tags=(), **handling):
    return Line(
        t,
        "dispatched",
        channel=channel,
        category=category,
        tags=list(tags),
        events=_handled(t, unit, **handling),
    )


NOV = [local(2024, 11, d, 9) for d in range(1, 31)]


@pytest.fixture
def november(city, tmp_path):
    from hotline.directory.models import Tag

    Tag.objects.create(name="蓝天保卫战")
    Category.objects.create(code="050101", name="夜间施工噪音", level=3, parent=city.noise)
    lines = [
        # 市长信箱: two dispatched — 书院路街道 (counts for 岳塘区) on time and satisfied,
        # 市市场监管局 late and unsatisfied — and one answered at intake.
        _dispatched(NOV[1], "书院路街道", channel="mayor_mailbox", category="050101"),
        _dispatched(
            NOV[2], "市市场监管局", channel="mayor_mailbox", late=True, callback="unsatisfied"
        ),
        Line(NOV[3], "answered", channel="mayor_mailbox", category="0301"),
        # 人大代表专席: answered at intake.
        Line(NOV[4], "answered", channel="npc_deputy_line"),
        # By phone, tagged 蓝天保卫战: 岳塘区 basically satisfied; 中环水务 still open.
        _dispatched(NOV[5], "岳塘区", tags=["蓝天保卫战"], callback="basically_satisfied"),
        Line(
            NOV[6],
            "dispatched",
            category="0301",
            tags=["蓝天保卫战"],
            events=[event("dispatch", NOV[6] + 0.01 * H, unit="中环水务")],
        ),
        # 雨湖区, unreachable at the callback.
        _dispatched(NOV[7], "雨湖区", callback="unreachable"),
        # Who asked: two enterprises, one village, the rest townspeople; the invalid
        # call is nobody's.
        Line(NOV[8], "answered", extra={"citizen": {"phone": "13900000001", "kind": "enterprise"}}),
        Line(NOV[9], "answered", extra={"citizen": {"phone": "13900000002", "kind": "enterprise"}}),
        Line(NOV[10], "answered", extra={"citizen": {"phone": "13900000003", "kind": "rural"}}),
        Line(NOV[11], "invalid", extra={"citizen": {"phone": "13900000004", "kind": "rural"}}),
        Line(NOV[12], "answered", extra={"number": "20240000099"}),
        # October's order concluded on 3 November: 办结 含上月流转, not November's concluded.
        Line(
            local(2024, 10, 30, 9),
            "dispatched",
            category="0501",
            events=[
                event("dispatch", local(2024, 10, 30, 10), unit="岳塘区"),
                event("sign", local(2024, 10, 30, 11), unit="岳塘区", deadline=stamp(NOV[9])),
                event("reply", local(2024, 11, 2, 9), unit="岳塘区", text="已处理"),
                event("review", local(2024, 11, 3, 9), decision="accept"),
            ],
        ),
        # A year before: one letter to the mayor's mailbox.
        Line(local(2023, 11, 5, 9), "answered", channel="mayor_mailbox"),
    ]
    import_orders(tmp_path, lines)
    # SPEC 3 (2026-12): an emergency handed to 110 at intake (即时转办), built by hand.
    Order.objects.filter(number="20240000099").update(disposition="transferred")


def _report(**kwargs):
    return report_document(start=date(2024, 11, 1), end=date(2024, 11, 30), **kwargs)


def test_transferred_is_counted_apart_from_rejected(november):
    intake = _report()["intake"]
    assert intake["transferred"] == 1
    assert intake["rejected"] == 0
    assert intake["accepted"] == 12


def test_concluded_in_period_counts_conclusions_of_earlier_orders(november):
    handling = _report()["handling"]
    assert handling["concluded"] == 4  # November's own orders
    assert handling["concluded_in_period"] == 5  # and October's, concluded on 3 November
    made_early = _report(made_at=local(2024, 11, 2, 11))["handling"]
    assert made_early["concluded_in_period"] == 0  # nothing concluded by 2 November, 11:00


def test_citizens_by_kind_leave_out_the_calls_that_are_nobodys(november):
    citizens = _report()["intake"]["citizens"]
    assert citizens == [{"name": "企业", "count": 2}, {"name": "乡镇村民", "count": 1}]


def test_districts_then_the_city_departments_together(november):
    districts = _report()["districts"]
    assert [(d["name"], d["kind"], d["orders"]) for d in districts] == [
        ("岳塘区", "district", 2),  # its own and 书院路街道's
        ("雨湖区", "district", 1),
        ("市直部门", "city", 1),
        ("公共企事业单位", "public", 1),
    ]
    yuetang, yuhu, city, public = districts
    assert yuetang["share"] == 0.4  # 2 of the 5 dispatched
    assert (yuetang["concluded"], yuetang["on_time"], yuetang["satisfied"]) == (2, 2, 2)
    assert yuetang["satisfaction_rate"] == 1.0
    assert (city["concluded"], city["on_time"], city["satisfied"]) == (1, 0, 0)
    assert city["satisfaction_rate"] == 0.0
    assert yuhu["satisfaction_rate"] is None  # unreachable: nobody to be satisfied
    assert (public["concluded"], public["on_time_rate"]) == (0, None)


def test_lines_per_special_line_online_channel_and_tag(november):
    lines = {line["name"]: line for line in _report()["lines"]}
    assert list(lines) == ["市长信箱", "人大代表专席", "蓝天保卫战"]
    mailbox = lines["市长信箱"]
    assert (mailbox["kind"], mailbox["accepted"], mailbox["dispatched"]) == ("channel", 3, 2)
    assert (mailbox["concluded"], mailbox["on_time"], mailbox["satisfied"]) == (2, 1, 1)
    assert mailbox["satisfaction_rate"] == 0.5
    assert (mailbox["previous_accepted"], mailbox["change_rate"]) == (1, 2.0)
    assert mailbox["topics"] == [{"name": "噪音扰民", "count": 2}, {"name": "供水", "count": 1}]
    assert mailbox["units"] == [
        {"name": "书院路街道", "count": 1},
        {"name": "市市场监管局", "count": 1},
    ]
    deputies = lines["人大代表专席"]
    assert (deputies["accepted"], deputies["dispatched"], deputies["concluded_rate"]) == (
        1,
        0,
        None,
    )
    # Nothing a year before: no comparison (无可比数据), not "增加1件".
    assert (deputies["previous_accepted"], deputies["change_rate"]) == (0, None)
    blue = lines["蓝天保卫战"]
    assert (blue["kind"], blue["accepted"], blue["concluded"], blue["satisfied"]) == (
        "tag",
        2,
        1,
        1,
    )
    assert blue["units"] == [{"name": "中环水务", "count": 1}, {"name": "岳塘区", "count": 1}]


def test_hot_topics_at_the_level_the_office_chose(november):
    middle = [(c["name"], c["count"]) for c in _report()["top_categories"]]
    assert middle == [("噪音扰民", 4), ("供水", 2)]
    setting_set(key="report_topic_level", text="1")
    first = _report()
    assert [(c["name"], c["count"]) for c in first["top_categories"]] == [
        ("生态环境", 4),
        ("公用事业", 2),
    ]
    assert first["topic_level"] == 1
    setting_set(key="report_topic_level", text="3")
    third = [(c["name"], c["count"]) for c in _report()["top_categories"]]
    assert third == [("噪音扰民", 3), ("供水", 2), ("夜间施工噪音", 1)]


def test_online_rate_over_answered_calls(november, tmp_path):
    calls = [(local(2024, 11, 3, 9) + n * H, n < 14) for n in range(16)]
    import_calls(tmp_path, "cti", calls)
    assert _report()["intake"]["resolved_at_intake_rate"] == 0.5  # 6 of 12 accepted
    setting_set(key="report_online_rate_over", text="answered_calls")
    intake = _report()["intake"]
    assert intake["resolved_at_intake_rate"] == 0.4286  # 6 of 14 answered calls
    assert intake["resolved_at_intake_over"] == "answered_calls"


def test_changsha_online_rate_over_answered_calls():
    # 在线办结工单69890件，在线办结率为69.3%, of 100839 calls answered.
    assert (
        online_rate(69890, accepted=110397, answered_calls=100839, over="answered_calls") == 0.6931
    )
    assert online_rate(20676, accepted=30044, answered_calls=29847, over="accepted") == 0.6882


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("report_online_rate_over", "calls", "在线办结率的分母只能是"),
        ("report_topic_level", "4", "热点事项的分类层级只能是"),
        ("report_number_pattern", "潭数〔{year}〕{n号", "大括号不成对"),
        ("report_number_pattern", "潭数〔{year}〕号", "缺少 {n}"),
        ("report_number_pattern", "潭数〔{yr}〕{n}号", "未知的占位符「{yr}」"),
        ("report_number_pattern", "潭数〔{year}〕{n:03d}号", "不能带格式说明"),
    ],
)
def test_bad_report_settings_are_refused_in_chinese(db, key, text, message):
    with pytest.raises(DomainError) as refused:
        setting_set(key=key, text=text)
    assert message in refused.value.message
