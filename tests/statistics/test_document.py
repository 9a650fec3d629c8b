"""The JSON document of SPEC 7 reproduces the seed reports from order histories and call
records that match them, loaded through the product's importers.

Xiangtan, November 2024 (seed 002): 30044 orders accepted, 20676 answered at intake
(68.82 %), 9368 dispatched, on time 99.03 %, callbacks 100 %, satisfaction 90.79 %, the
five appeal types, the ten hot topics, the ten units with 81.79 % of dispatched orders,
the online channels and special lines, 143 orders on 文明创建, 29847 calls answered
(98.49 %).
"""

import csv
from datetime import date, datetime

import pytest
from django.db import transaction

from hotline.demo import DIRECTORY
from hotline.directory.services import directory_import
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.statistics import Period
from hotline.statistics.document import report_document
from tests.statistics.histories import (
    Handling,
    Line,
    calls_in,
    expand,
    import_calls,
    import_orders,
    shuffled,
    spread,
)

# Every test reads what the module's fixture loaded (and pytest-django sets up the test
# database only for a session that has database tests).
pytestmark = pytest.mark.django_db

NOVEMBER = Period.month(2024, 11)

ACCEPTED = 30044
ANSWERED = 20676
DISPATCHED = 9368
APPEAL_TYPES = [
    ("consult", 12447),
    ("help", 11450),
    ("complaint", 5813),
    ("other", 227),
    ("suggestion", 107),
]
TOP_CATEGORIES = [
    ("消费维权", 2442),
    ("社会保险", 2348),
    ("医疗保险", 1184),
    ("劳动维权", 935),
    ("工商管理", 894),
    ("社保卡", 790),
    ("通信管理", 748),
    ("退休服务", 638),
    ("物业管理", 576),
    ("农村管理", 543),
]
TOP_UNITS = [
    ("岳塘区", 1537),
    ("雨湖区", 1489),
    ("湘潭县", 1345),
    ("湘乡市", 1195),
    ("市公安局", 489),
    ("市市场监管局", 463),
    ("韶山市", 343),
    ("湘潭城发集团", 316),
    ("中环水务", 245),
    ("市人社局", 240),
]
# The other 1706 dispatched orders went to units with fewer than the tenth's 240.
OTHER_UNITS = [
    ("市医保局", 200),
    ("市住建局", 200),
    ("市城管局", 200),
    ("市生态环境局", 200),
    ("市交通运输局", 200),
    ("市教育局", 200),
    ("市卫健委", 200),
    ("市自然资源和规划局", 200),
    ("市住房公积金中心", 106),
]
# 网上渠道 948 and the two special lines; the rest came by phone.
ONLINE = [
    ("gov_portal", 8),
    ("governor_mailbox", 28),
    ("mayor_mailbox", 87),
    ("province_platform", 711),
    ("app", 69),
    ("wechat", 45),
]
SPECIAL_LINES = [("npc_deputy_line", 4), ("business_line", 71)]
PHONE = ACCEPTED - sum(n for _, n in ONLINE + SPECIAL_LINES)
CIVILISATION = 143  # 文明创建
LATE = 91  # 9277 of 9368 concluded on time: 99.03 %
CALLBACKS = [("satisfied", 8000), ("basically_satisfied", 505), ("unsatisfied", 863)]
CALLS_OFFERED, CALLS_ANSWERED = 30304, 29847  # 98.49 %


def _categories() -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """The demo catalogue: code by name, leaves by middle-level code, middle levels."""
    with (DIRECTORY / "categories.csv").open(encoding="utf-8") as rows:
        table = list(csv.DictReader(rows))
    code = {row["name"]: row["code"] for row in table}
    leaves: dict[str, list[str]] = {}
    for row in table:
        if len(row["code"]) == 6:
            leaves.setdefault(row["parent_code"], []).append(row["code"])
    middles = [row["code"] for row in table if len(row["code"]) == 4]
    return code, leaves, middles


def _category_column() -> list[str | None]:
    """Each hot topic's count, a third of it filed under one of its third-level items
    (which count for their parent); the other orders under forty other topics of 400,
    300 under a first-level category, the rest without a category."""
    code, leaves, middles = _categories()
    column: list[str | None] = []
    for name, count in TOP_CATEGORIES:
        middle = code[name]
        under_leaf = count // 3 if middle in leaves else 0
        column += [leaves[middle][0]] * under_leaf if under_leaf else []
        column += [middle] * (count - under_leaf)
    hot = {code[name] for name, _ in TOP_CATEGORIES}
    others = [c for c in middles if c not in hot][:40]
    column += expand((c, 400) for c in others)
    column += [code["城乡建设"]] * 300
    column += [None] * (ACCEPTED - len(column))
    return column


def _xiangtan_lines() -> list[Line]:
    dispositions = shuffled(["dispatched"] * DISPATCHED + ["answered"] * ANSWERED, seed=1)
    appeal_types = shuffled(expand(APPEAL_TYPES), seed=2)
    channels = shuffled(expand(ONLINE + SPECIAL_LINES + [("phone", PHONE)]), seed=3)
    categories = shuffled(_category_column(), seed=4)
    tagged = set(shuffled(range(ACCEPTED), seed=5)[:CIVILISATION])
    units = iter(shuffled(expand(TOP_UNITS + OTHER_UNITS), seed=6))
    callbacks = iter(shuffled(expand(CALLBACKS), seed=7))
    late = iter(shuffled([True] * LATE + [False] * (DISPATCHED - LATE), seed=8))
    lines = []
    for index, received_at in enumerate(spread(NOVEMBER, ACCEPTED)):
        disposition = dispositions[index]
        handling = None
        if disposition == "dispatched":
            handling = Handling(unit=next(units), late=next(late), callback=next(callbacks))
        lines.append(
            Line(
                received_at=received_at,
                disposition=disposition,
                appeal_type=appeal_types[index],
                channel=channels[index],
                category=categories[index],
                tags=["文明创建"] if index in tagged else [],
                handling=handling,
            )
        )
    return lines


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


# Orders of the periods compared with November 2024, and two just outside it.
OCTOBER_2024 = [
    Line(local(2024, 10, 15, 9), "answered"),
    Line(local(2024, 10, 20, 9), "dispatched", handling=Handling(unit="岳塘区")),
    Line(local(2024, 10, 31, 23, 59, 59), "answered"),  # the last second before November
]
DECEMBER_2024 = [Line(local(2024, 12, 1), "answered")]  # the first second after November
NOVEMBER_2023 = [
    Line(local(2023, 11, 2, 10), "answered"),
    Line(local(2023, 11, 3, 10), "answered"),
    Line(local(2023, 11, 6, 10), "dispatched", handling=Handling(unit="雨湖区")),
    Line(local(2023, 11, 7, 10), "rejected", reject_reason="vague"),
]


@pytest.fixture(scope="module")
def xiangtan(django_db_setup, django_db_blocker, tmp_path_factory):
    """November 2024 in Xiangtan, built once for this module and rolled back after it."""
    folder = tmp_path_factory.mktemp("xiangtan")
    with django_db_blocker.unblock(), transaction.atomic():
        directory_import(folder=DIRECTORY)
        lines = _xiangtan_lines() + OCTOBER_2024 + DECEMBER_2024 + NOVEMBER_2023
        assert import_orders(folder, lines) == ACCEPTED + 8
        calls = calls_in(NOVEMBER, CALLS_OFFERED, CALLS_ANSWERED)
        calls += [(t, True) for t in spread(Period.month(2024, 10), 11)]
        calls += [(local(2024, 10, 31, 23, 59, 59), False), (local(2024, 12, 1), True)]
        calls += [(t, True) for t in spread(Period.month(2023, 11), 25)]
        import_calls(folder, "calls", calls)
        yield report_document(start=NOVEMBER.start, end=NOVEMBER.end)
        transaction.set_rollback(True)


def test_the_document_has_exactly_the_shape_of_spec_7(xiangtan):
    assert list(xiangtan) == [
        "period",
        "calls",
        "intake",
        "handling",
        "callbacks",
        "appeal_types",
        "top_categories",
        "top_units",
        "channels",
        "tags",
        "assessment",
        "idle_units",
        "compare",
        "violations",
        "rates",
        "districts",
        "lines",
        "topic_level",
        "topics",
    ]
    assert list(xiangtan["rates"]) == ["response_rate", "resolution_rate", "satisfaction_rate"]
    assert xiangtan["rates"]["satisfaction_rate"] == xiangtan["callbacks"]["satisfaction_rate"]
    assert xiangtan["period"] == {"from": "2024-11-01", "to": "2024-11-30"}
    assert list(xiangtan["calls"]) == [
        "offered",
        "answered",
        "answer_rate",
        "daily_offered",
        "answered_within_15s_rate",
        "average_wait_seconds",
        "abandoned",
    ]
    assert list(xiangtan["intake"]) == [
        "accepted",
        "resolved_at_intake",
        "resolved_at_intake_rate",
        "dispatched",
        "rejected",
        "rejected_by_reason",
        "transferred",
        "harassment",
        "invalid",
        "citizens",
        "resolved_at_intake_over",
    ]
    assert list(xiangtan["handling"]) == [
        "concluded",
        "concluded_rate",
        "concluded_in_period",
        "on_time",
        "on_time_rate",
        "urgent",
        "urgent_on_time",
        "extended",
        "returned",
        "first_dispatch_accuracy",
        "sign_on_time_rate",
    ]
    assert list(xiangtan["callbacks"]) == [
        "needed",
        "done",
        "rate",
        "reached",
        "satisfied",
        "satisfaction_rate",
    ]
    assert list(xiangtan["top_units"]) == ["units", "top10_share"]


def test_xiangtan_intake_reproduces_the_seed(xiangtan):
    assert xiangtan["intake"] == {
        "accepted": 30044,
        "resolved_at_intake": 20676,
        "resolved_at_intake_rate": 0.6882,  # 68.82 %
        "dispatched": 9368,
        "rejected": 0,
        "rejected_by_reason": {},
        "transferred": 0,
        "harassment": 0,
        "invalid": 0,
        "citizens": [],
        "resolved_at_intake_over": "accepted",
    }


def test_xiangtan_handling_and_callbacks_reproduce_the_seed(xiangtan):
    assert xiangtan["handling"] == {
        "concluded": 9368,
        "concluded_rate": 1.0,
        # 办结 含上月流转: conclusions made in November, whatever the registration day
        # (the last November orders conclude in December)
        "concluded_in_period": 9343,
        "on_time": 9277,
        "on_time_rate": 0.9903,  # 按时办结率 99.03 %
        "urgent": 0,
        "urgent_on_time": 0,
        "extended": 0,
        "returned": 0,
        "first_dispatch_accuracy": 1.0,  # no order returned or re-dispatched
        "sign_on_time_rate": 1.0,  # every order signed within its sign-for time
    }
    assert xiangtan["callbacks"] == {
        "needed": 9368,  # the default scope: every dispatched order
        "done": 9368,
        "rate": 1.0,  # 回访率 100 %
        "reached": 9368,
        "satisfied": 8505,
        "satisfaction_rate": 0.9079,  # 转办工单回访满意率 90.79 %
    }


def test_xiangtan_appeal_types_are_shares_of_accepted(xiangtan):
    # The seed prints 其他 as 0.75 %; 227 of 30044 is 0.7556 %, which rounds to 0.76 %.
    assert xiangtan["appeal_types"] == [
        {"name": "咨询", "count": 12447, "share": 0.4143},
        {"name": "求助", "count": 11450, "share": 0.3811},
        {"name": "投诉", "count": 5813, "share": 0.1935},
        {"name": "其他", "count": 227, "share": 0.0076},
        {"name": "建议", "count": 107, "share": 0.0036},
    ]


def test_xiangtan_top_ten_categories_are_the_seeds_hot_topics(xiangtan):
    assert [(row["name"], row["count"]) for row in xiangtan["top_categories"]] == TOP_CATEGORIES
    assert xiangtan["top_categories"][0]["share"] == 0.0813  # 2442 of 30044 accepted


def test_xiangtan_ten_units_hold_81_79_percent_of_dispatched_orders(xiangtan):
    units = xiangtan["top_units"]["units"]
    assert [(row["name"], row["count"]) for row in units] == TOP_UNITS
    assert units[0]["share"] == 0.1641  # 1537 of 9368
    assert xiangtan["top_units"]["top10_share"] == 0.8179


def test_xiangtan_channels_and_tags(xiangtan):
    assert xiangtan["channels"] == [
        {"name": "电话", "count": 29021},
        {"name": "省级12345平台转派", "count": 711},
        {"name": "市长信箱", "count": 87},
        {"name": "政企通专席", "count": 71},
        {"name": "移动应用", "count": 69},
        {"name": "微信公众号", "count": 45},
        {"name": "省长信箱", "count": 28},
        {"name": "中国政府网留言", "count": 8},
        {"name": "人大代表专席", "count": 4},
    ]
    online = {
        "省级12345平台转派",
        "市长信箱",
        "移动应用",
        "微信公众号",
        "省长信箱",
        "中国政府网留言",
    }
    assert sum(row["count"] for row in xiangtan["channels"] if row["name"] in online) == 948
    assert xiangtan["tags"] == [{"name": "文明创建", "count": 143}]


def test_xiangtan_calls(xiangtan):
    assert xiangtan["calls"] == {
        "offered": 30304,
        "answered": 29847,
        "answer_rate": 0.9849,  # 接通率 98.49 %
        "daily_offered": 1010,
        "answered_within_15s_rate": None,  # the seed's records carry no waits
        "average_wait_seconds": None,
        "abandoned": 30304 - 29847,
    }


def test_xiangtan_compared_with_the_year_before_and_the_month_before(xiangtan):
    year, month = xiangtan["compare"]["year_on_year"], xiangtan["compare"]["period_on_period"]
    assert year["period"] == {"from": "2023-11-01", "to": "2023-11-30"}
    assert month["period"] == {"from": "2024-10-01", "to": "2024-10-31"}
    assert year["accepted"] == {
        "current": 30044,
        "previous": 4,
        "change": 30040,
        "change_rate": 7510.0,
    }
    assert {name: figure["previous"] for name, figure in year.items() if name != "period"} == {
        "accepted": 4,
        "resolved_at_intake": 2,
        "dispatched": 1,
        "concluded": 1,
        "offered": 25,
    }
    assert {name: figure["previous"] for name, figure in month.items() if name != "period"} == {
        "accepted": 3,
        "resolved_at_intake": 2,
        "dispatched": 1,
        "concluded": 1,
        "offered": 12,
    }
    assert month["offered"]["current"] == 30304
    assert month["concluded"]["current"] == 9368


def test_xiangtan_assessment_lists_the_units_that_had_orders(xiangtan):
    assessed = {item["unit"] for item in xiangtan["assessment"]}
    assert {name for name, _ in TOP_UNITS + OTHER_UNITS} <= assessed
    assert not assessed & set(xiangtan["idle_units"])


def test_a_period_without_anything_recorded_has_no_rates_to_show(xiangtan):
    empty = report_document(start=date(2030, 1, 1), end=date(2030, 1, 31))
    assert empty["intake"]["accepted"] == 0
    assert empty["intake"]["resolved_at_intake_rate"] is None
    assert empty["calls"] == {
        "offered": 0,
        "answered": 0,
        "answer_rate": None,
        "daily_offered": 0,
        "answered_within_15s_rate": None,
        "average_wait_seconds": None,
        "abandoned": 0,
    }
    assert empty["appeal_types"] == empty["top_categories"] == empty["channels"] == []
    assert empty["top_units"] == {"units": [], "top10_share": None}
    assert empty["compare"]["year_on_year"]["accepted"]["change_rate"] is None


def test_any_range_of_days_is_cut_at_shanghai_midnight(xiangtan):
    first_day = report_document(start=date(2024, 11, 1), end=date(2024, 11, 1))
    per_day = ACCEPTED / 30
    assert abs(first_day["intake"]["accepted"] - per_day) <= 1
    assert first_day["compare"]["period_on_period"]["period"] == {
        "from": "2024-10-31",
        "to": "2024-10-31",
    }
    last_second = report_document(start=date(2024, 10, 31), end=date(2024, 10, 31))
    assert last_second["intake"]["accepted"] == 1
    assert last_second["calls"]["offered"] == 1  # the unanswered call at 23:59:59
