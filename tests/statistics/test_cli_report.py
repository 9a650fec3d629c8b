"""``hotline report`` (SPEC 11): the period, the format and the file; a bad period is
refused in Chinese with exit status 2."""

import json
from datetime import date, datetime

import pytest

from hotline.cli.main import run
from hotline.domain.deadlines import LOCAL_TZ
from hotline.statistics.document import report_document
from tests.statistics.histories import Handling, Line, import_calls, import_orders

pytestmark = pytest.mark.django_db


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def november(city, tmp_path):
    """Four orders and two calls in November 2024, one order in December."""
    import_orders(
        tmp_path,
        [
            Line(local(2024, 11, 4, 9), "answered", appeal_type="consult"),
            Line(local(2024, 11, 5, 9), "harassment", appeal_type="other"),
            Line(
                local(2024, 11, 6, 9),
                "dispatched",
                appeal_type="complaint",
                category="0501",
                tags=["文明创建"],
                handling=Handling(unit="岳塘区"),
            ),
            Line(local(2024, 11, 7, 9), "rejected", reject_reason="vague"),
            Line(local(2024, 12, 1, 9), "answered"),
        ],
    )
    import_calls(tmp_path, "calls", [(local(2024, 11, 4, 8), True), (local(2024, 11, 5, 8), False)])


def test_a_month_as_json_is_the_document(november, tmp_path, capsys):
    out = tmp_path / "2024-11.json"
    assert run(["report", "--period", "2024-11", "--format", "json", "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == report_document(start=date(2024, 11, 1), end=date(2024, 11, 30))
    assert written["period"] == {"from": "2024-11-01", "to": "2024-11-30"}
    assert written["intake"]["accepted"] == 4
    assert written["intake"]["resolved_at_intake"] == 2
    assert written["intake"]["rejected_by_reason"] == {"诉求要素不全": 1}
    assert written["top_units"]["units"] == [{"name": "岳塘区", "count": 1, "share": 1.0}]
    assert written["top_categories"] == [{"name": "噪音扰民", "count": 1, "share": 0.25}]
    assert written["calls"]["answer_rate"] == 0.5
    assert "2024-11-01 至 2024-11-30" in capsys.readouterr().out


def test_a_quarter_a_year_and_a_range_of_days(november, tmp_path):
    for args, expected in [
        (["--period", "2024Q4"], {"from": "2024-10-01", "to": "2024-12-31"}),
        (["--period", "2024"], {"from": "2024-01-01", "to": "2024-12-31"}),
        (
            ["--from", "2024-11-05", "--to", "2024-11-06"],
            {"from": "2024-11-05", "to": "2024-11-06"},
        ),
    ]:
        out = tmp_path / "report.json"
        assert run(["report", *args, "--format", "json", "--out", str(out)]) == 0
        written = json.loads(out.read_text(encoding="utf-8"))
        assert written["period"] == expected
    assert written["intake"]["accepted"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024-13"], "统计周期「2024-13」格式不正确"),
        (["--period", "November"], "应为 2024-11（月）、2024Q4（季度）或 2024（年）"),
        (["--from", "2024-11-30", "--to", "2024-11-01"], "早于开始日期"),
        (["--from", "2024-11-31", "--to", "2024-12-01"], "开始日期「2024-11-31」格式不正确"),
        (["--from", "2024-11-01"], "--from 须与 --to 同用"),
        (["--period", "2024-11", "--to", "2024-11-30"], "--period 不能与 --to 同用"),
    ],
)
def test_a_bad_period_is_refused_in_chinese_with_status_2(args, message, tmp_path, capsys):
    out = tmp_path / "report.json"
    assert run(["report", *args, "--format", "json", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("错误：")
    assert message in error
    assert not out.exists()


def test_an_unknown_format_is_refused_by_the_parser(tmp_path):
    with pytest.raises(SystemExit) as refused:
        run(["report", "--period", "2024-11", "--format", "txt", "--out", str(tmp_path / "r")])
    assert refused.value.code == 2
