"""Longshan county, first quarter 2020 (seed 004, SPEC 7): 3085 accepted of which 161
harassment and 103 not accepted, 2694 resolved at intake (87.33 %), 288 dispatched, 242
concluded (84.03 %), 2821 needing a callback when every accepted order is called back;
the top four categories and the top five units; 3085 calls, 34 a day.

The seed also says every one of the 2821 was called back. Under SPEC 4 a dispatched order
is called back after its reply is accepted, so the 46 dispatched orders not concluded
cannot have been: here 2775 were, the 2533 answered at intake and the 242 concluded.
"""

from datetime import date

import pytest
from django.db import transaction

from hotline.configuration.services import setting_set
from hotline.directory.services import directory_import
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

QUARTER = Period.quarter(2020, 1)

HARASSMENT, REJECTED, ANSWERED, DISPATCHED, CONCLUDED = 161, 103, 2533, 288, 242
ACCEPTED = HARASSMENT + REJECTED + ANSWERED + DISPATCHED  # 3085
# 不予立案: elements missing, outside the hotline's remit, unreasonable demands.
REJECT_REASONS = [("vague", 60), ("other_channel", 25), ("unreasonable", 18)]
# The seed's four leading categories are first-level ones; ten smaller ones follow.
CATEGORIES = [
    ("社会服务类", 1628),
    ("城市管理市容类", 137),
    ("资源环境类", 117),
    ("市民生活服务类", 92),
]
SMALL_CATEGORIES = [(f"其他事项{n:02d}", 80) for n in range(1, 11)]
TOP_UNITS = [
    ("县住建局", 46),
    ("民安街道办事处", 33),
    ("县城管和执法局", 29),
    ("县劳动保障监察局", 18),
    ("里耶镇人民政府", 11),
]
# The other 151 dispatched orders, ten or fewer a unit.
TOWNS = ["石羔街道办事处", "华塘街道办事处", "洗洛镇人民政府", "茅坪乡人民政府",
         "靛房镇人民政府", "苗儿滩镇人民政府", "桂塘镇人民政府", "召市镇人民政府",
         "洛塔乡人民政府", "红岩溪镇人民政府", "咱果乡人民政府", "大安乡人民政府",
         "水田坝镇人民政府", "农车镇人民政府", "乌鸦乡人民政府", "白羊乡人民政府"]  # fmt: skip
OTHER_UNITS = [(name, 10) for name in TOWNS[:15]] + [(TOWNS[15], 1)]
# 城镇居民来电2575个、乡镇村民来电349个 (the 161 harassment calls are nobody's).
CITIZEN_KINDS = [("urban", 2575), ("rural", 349)]
APPEAL_TYPES = [("consult", 1700), ("help", 800), ("complaint", 500), ("suggestion", 85)]


def _directory(folder) -> None:
    units = [name for name, _ in TOP_UNITS + OTHER_UNITS]
    rows = ["code,name,kind,parent_code,region_codes"]
    rows += [f"LS{n:03d},{name},department,," for n, name in enumerate(units, start=1)]
    (folder / "units.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    names = [name for name, _ in CATEGORIES + SMALL_CATEGORIES]
    rows = ["code,name,parent_code"] + [f"{n:02d},{name}," for n, name in enumerate(names, 1)]
    (folder / "categories.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    directory_import(folder=folder)


def _dispatched() -> list[Handling]:
    """288 dispatched: 242 concluded, of which 12 late (2 of the 10 urgent), 5 with a
    granted and 2 with a refused extension, 4 first returned by another unit, 3 sent
    back at review and 2 after an unsatisfied callback; the callbacks of the concluded:
    20 unsatisfied, 3 unreachable, the rest satisfied or basically satisfied."""
    units = shuffled(expand(TOP_UNITS + OTHER_UNITS), seed=11)
    results = ["satisfied"] * 200 + ["basically_satisfied"] * 19
    results += ["unsatisfied"] * 20 + ["unreachable"] * 3
    handlings = []
    for index, unit in enumerate(units):
        if index >= CONCLUDED:
            handlings.append(Handling(unit=unit, concluded=False, callback=None))
            continue
        handlings.append(
            Handling(
                unit=unit,
                callback=results[index],
                urgent=index < 10,
                late=index < 2 or 10 <= index < 20,
                extension=_extension(index),
                returned_first_to=_returned_by(index, unit),
                rework=31 <= index < 34,
                callback_rework=34 <= index < 36,
            )
        )
    return handlings


def _extension(index: int) -> str | None:
    if 20 <= index < 25:
        return "granted"
    return "refused" if 25 <= index < 27 else None


def _returned_by(index: int, unit: str) -> str | None:
    if not 27 <= index < 31:
        return None
    return "县住建局" if unit != "县住建局" else "民安街道办事处"


def _lines() -> list[Line]:
    outcomes = (
        [("harassment", None)] * HARASSMENT
        + [("rejected", reason) for reason, n in REJECT_REASONS for _ in range(n)]
        + [("answered", None)] * ANSWERED
        + [("dispatched", None)] * DISPATCHED
    )
    outcomes = shuffled(outcomes, seed=13)
    appeal_types = shuffled(expand(APPEAL_TYPES), seed=14)
    categories = expand(CATEGORIES + SMALL_CATEGORIES)
    handlings = iter(_dispatched())
    # Answered at intake, called back too (the callback scope is every accepted order):
    # 2 unreachable, 10 unsatisfied, the rest satisfied.
    answered_results = iter(
        shuffled(["unreachable"] * 2 + ["unsatisfied"] * 10 + ["satisfied"] * 2521, seed=15)
    )
    filed = iter(categories)
    kinds = iter(shuffled(expand(CITIZEN_KINDS), seed=16))
    lines = []
    for index, received_at in enumerate(spread(QUARTER, ACCEPTED)):
        disposition, reason = outcomes[index]
        line = Line(received_at, disposition, appeal_type=appeal_types[index])
        if disposition != "harassment":
            line.extra = {"citizen": {"phone": f"0743{index:07d}", "kind": next(kinds)}}
        if disposition in ("answered", "dispatched"):
            line.category = _code_of(next(filed, None))
        if disposition == "rejected":
            line.reject_reason = reason
        elif disposition == "dispatched":
            line.handling = next(handlings)
        elif disposition == "answered":
            line.callback = next(answered_results)
        lines.append(line)
    return lines


_NAMES = [name for name, _ in CATEGORIES + SMALL_CATEGORIES]


def _code_of(name: str | None) -> str | None:
    return None if name is None else f"{_NAMES.index(name) + 1:02d}"


@pytest.fixture(scope="module")
def longshan(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("longshan")
    with django_db_blocker.unblock(), transaction.atomic():
        _directory(folder)
        setting_set(key="callback_scope", text="all")
        assert import_orders(folder, _lines()) == ACCEPTED
        import_calls(folder, "calls", calls_in(QUARTER, ACCEPTED, ACCEPTED))
        yield report_document(start=date(2020, 1, 1), end=date(2020, 3, 31))
        transaction.set_rollback(True)


def test_longshan_intake_reproduces_the_seed(longshan):
    assert longshan["period"] == {"from": "2020-01-01", "to": "2020-03-31"}
    assert longshan["intake"] == {
        "accepted": 3085,
        "resolved_at_intake": 2694,  # answered 2533 + harassment 161
        "resolved_at_intake_rate": 0.8733,  # 87.33 %
        "dispatched": 288,
        "rejected": 103,
        "rejected_by_reason": {"诉求要素不全": 60, "已通过信访等渠道受理答复": 25, "无理诉求": 18},
        "transferred": 0,
        "harassment": 161,
        "invalid": 0,
        "citizens": [{"name": "城镇居民", "count": 2575}, {"name": "乡镇村民", "count": 349}],
        "resolved_at_intake_over": "accepted",
    }


def test_longshan_handling(longshan):
    assert longshan["handling"] == {
        "concluded": 242,
        "concluded_rate": 0.8403,  # 84.03 %
        "concluded_in_period": 242,  # nothing concluded in the quarter from before it
        "on_time": 230,
        "on_time_rate": 0.9504,
        "urgent": 10,
        "urgent_on_time": 8,
        "extended": 5,  # refused requests do not count
        "returned": 4,
        "first_dispatch_accuracy": 0.9861,  # 284 of 288: the 4 returned were not kept
        "sign_on_time_rate": 1.0,  # every order signed (or returned) within its time
    }


def test_longshan_callbacks_cover_every_accepted_order(longshan):
    assert longshan["callbacks"] == {
        "needed": 2821,  # 3085 − 161 harassment − 103 not accepted
        "done": 2775,
        "rate": 0.9837,
        "reached": 2770,  # 2 + 3 unreachable
        # 2521 answered + 219 concluded, counting each order's latest callback (the two
        # first found unsatisfied and sent back ended satisfied)
        "satisfied": 2740,
        "satisfaction_rate": 0.9892,
    }


def test_longshan_top_categories_and_units(longshan):
    top = [(row["name"], row["count"]) for row in longshan["top_categories"]]
    assert top[:4] == CATEGORIES
    assert len(top) == 10
    assert longshan["top_categories"][0]["share"] == 0.5277  # 1628 of 3085
    units = longshan["top_units"]["units"]
    assert [(row["name"], row["count"]) for row in units[:5]] == TOP_UNITS
    assert [row["count"] for row in units[5:]] == [10] * 5
    assert units[5:] == sorted(units[5:], key=lambda row: row["name"])
    assert longshan["top_units"]["top10_share"] == 0.6493  # (137 + 50) of 288


def test_longshan_calls(longshan):
    assert longshan["calls"] == {
        "offered": 3085,
        "answered": 3085,
        "answer_rate": 1.0,  # 接通率 100 %
        "daily_offered": 34,  # 日均 34 over the 91 days of a leap-year quarter
        "answered_within_15s_rate": None,  # no waits in the seed's records
        "average_wait_seconds": None,
        "abandoned": 0,
    }


def test_longshan_compared_with_the_quarter_and_the_year_before(longshan):
    compare = longshan["compare"]
    assert compare["period_on_period"]["period"] == {"from": "2019-10-01", "to": "2019-12-31"}
    assert compare["year_on_year"]["period"] == {"from": "2019-01-01", "to": "2019-03-31"}
    assert compare["period_on_period"]["accepted"] == {
        "current": 3085,
        "previous": 0,
        "change": 3085,
        "change_rate": None,
    }
