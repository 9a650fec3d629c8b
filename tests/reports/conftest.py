"""A statistics document in exactly the shape of SPEC 7, written by hand from the seeds
(the Xiangtan November 2024 month, with the Yueyang appendix's units), so that the
documents can be checked without building order histories."""

import copy
from datetime import date

import pytest

from hotline.domain.enums import Role
from hotline.reports import services
from hotline.reports.editorial import Case, CaseKind, Editorial
from tests.conftest import local


def change(current: int, previous: int) -> dict:
    """One figure of ``compare``: against the same figure of an earlier period."""
    return {
        "current": current,
        "previous": previous,
        "change": current - previous,
        "change_rate": (current - previous) / previous if previous else None,
    }


DOCUMENT = {
    "period": {"from": "2024-11-01", "to": "2024-11-30"},
    "calls": {
        "offered": 30305,
        "answered": 29847,
        "answer_rate": 29847 / 30305,
        "daily_offered": 30305 / 30,
    },
    "intake": {
        "accepted": 30044,
        "resolved_at_intake": 20676,
        "resolved_at_intake_rate": 20676 / 30044,
        "dispatched": 9368,
        "rejected": 0,
        "rejected_by_reason": {},
        "harassment": 112,
        "invalid": 57,
    },
    "handling": {
        "concluded": 9301,
        "concluded_rate": 9301 / 9368,
        "on_time": 9211,
        "on_time_rate": 9211 / 9301,
        "urgent": 35,
        "urgent_on_time": 34,
        "extended": 12,
        "returned": 87,
    },
    "callbacks": {
        "needed": 9368,
        "done": 9368,
        "rate": 1.0,
        "reached": 8902,
        "satisfied": 8082,
        "satisfaction_rate": 8082 / 8902,
    },
    "appeal_types": [
        {"name": "咨询", "count": 12447, "share": 12447 / 30044},
        {"name": "求助", "count": 11450, "share": 11450 / 30044},
        {"name": "投诉", "count": 5813, "share": 5813 / 30044},
        {"name": "其他", "count": 227, "share": 227 / 30044},
        {"name": "建议", "count": 107, "share": 107 / 30044},
    ],
    "top_categories": [
        {"name": name, "count": count, "share": count / 30044}
        for name, count in (
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
        )
    ],
    "top_units": {
        "units": [
            {"name": name, "count": count, "share": count / 9368}
            for name, count in (
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
            )
        ],
        "top10_share": 7662 / 9368,
    },
    "channels": [
        {"name": "电话", "count": 29025},
        {"name": "省级12345平台转派", "count": 711},
        {"name": "市长信箱", "count": 87},
        {"name": "政企通专席", "count": 71},
        {"name": "移动应用", "count": 69},
        {"name": "微信公众号", "count": 45},
        {"name": "省长信箱", "count": 28},
        {"name": "中国政府网留言", "count": 8},
        {"name": "人大代表专席", "count": 4},
    ],
    "tags": [{"name": "文明创建", "count": 143}, {"name": "涉企", "count": 38}],
    "assessment": [
        {
            "unit": "岳阳县政府",
            "due": 4195,
            "handled": 4194,
            "handled_rate": 4194 / 4195,
            "overdue": 4,
            "on_time_rate": 4190 / 4195,
            "rework": 4,
            "rework_rate": 4 / 4194,
            "spot_unsatisfied": 8,
            "satisfaction_rate": 0.9654,
            "score": 99.2,
            "grade": "A",
            "previous_grade": "A",
        },
        {
            "unit": "市规划局",
            "due": 154,
            "handled": 153,
            "handled_rate": 153 / 154,
            "overdue": 21,
            "on_time_rate": 132 / 154,
            "rework": 2,
            "rework_rate": 2 / 153,
            "spot_unsatisfied": 2,
            "satisfaction_rate": 0.875,
            "score": 92.8,
            "grade": "B",
            "previous_grade": "C",
        },
        {
            "unit": "市金融办",
            "due": 37,
            "handled": 36,
            "handled_rate": 36 / 37,
            "overdue": 11,
            "on_time_rate": 25 / 37,
            "rework": 0,
            "rework_rate": 0.0,
            "spot_unsatisfied": 0,
            "satisfaction_rate": 1.0,
            "score": 89.5,
            "grade": "C",
            "previous_grade": "C",
        },
        {
            "unit": "市长江修防处",
            "due": 1,
            "handled": 1,
            "handled_rate": 1.0,
            "overdue": 1,
            "on_time_rate": 0.0,
            "rework": 0,
            "rework_rate": 0.0,
            "spot_unsatisfied": 0,
            "satisfaction_rate": 1.0,
            "score": 70.0,
            "grade": "D",
            "previous_grade": None,
        },
        {
            "unit": "市审计局",
            "due": 1,
            "handled": 0,
            "handled_rate": 0.0,
            "overdue": 0,
            "on_time_rate": 0.0,
            "rework": 0,
            "rework_rate": 0.0,
            "spot_unsatisfied": 0,
            "satisfaction_rate": 1.0,
            "score": 40.0,
            "grade": "E",
            "previous_grade": "B",
        },
    ],
    "idle_units": ["市科技局", "市农机局", "市口岸办"],
    "compare": {
        "year_on_year": {
            "period": {"from": "2023-11-01", "to": "2023-11-30"},
            "accepted": change(30044, 27018),
            "dispatched": change(9368, 9668),
        },
        "period_on_period": {
            "period": {"from": "2024-10-01", "to": "2024-10-31"},
            "accepted": change(30044, 31466),
            "dispatched": change(9368, 9180),
        },
    },
}

EDITORIAL = Editorial(
    title="湘潭市12345政务服务便民热线平台2024年11月份运行情况的通报",
    experience="湘潭县强化热线队伍建设，坚持先培训、后上岗。\n湘乡市实行一单联派模式。",
    problems="有的单位对群众反映的问题调查核实不够深入。",
    next_steps="强化责任担当，勇于担当作为。\n坚持问题导向，提升办理质效。",
    cases=(
        Case(
            number="20240000805",
            kind=CaseKind.EXCELLENT,
            title="雨湖区处置扬尘污染，实施绿色施工",
            complaint="鹤岭镇红星村村部附近水利施工，沿途扬尘严重。",
            result="派单至雨湖区，村委会安排洒水降尘作业，项目结束后全面清扫。",
            callback="诉求人对处理结果满意。",
        ),
        Case(
            number="20240000049",
            kind=CaseKind.TYPICAL,
            complaint="小区供暖公司暂停供暖，未出具供暖方案。",
            result="派单至湘潭高新区，协调供暖公司恢复供暖。",
            callback="诉求人表示理解。",
        ),
    ),
)


@pytest.fixture
def document():
    return copy.deepcopy(DOCUMENT)


@pytest.fixture
def editorial():
    return EDITORIAL


@pytest.fixture
def supervisor(city):
    return city.users[Role.SUPERVISOR]


@pytest.fixture
def draft(supervisor):
    """November 2024's draft, made after its appeal window closed."""
    return services.draft_create(
        start=date(2024, 11, 1), end=date(2024, 11, 30), actor=supervisor, at=local(2024, 12, 5, 9)
    )
