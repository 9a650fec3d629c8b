"""The installed ``hotline`` command, end to end on a fresh SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotline.cli.main import run
from hotline.configuration.models import Setting
from hotline.demo import DIRECTORY

HOTLINE = [sys.executable, "-m", "hotline.cli"]


def _hotline(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "hotline.project.settings"
    return subprocess.run(
        [*HOTLINE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_without_arguments_it_prints_help(tmp_path):
    done = _hotline(cwd=tmp_path)
    assert done.returncode == 0
    for command in ("migrate", "import", "config", "demo"):
        assert command in done.stdout


def test_migrate_import_and_config_on_a_new_sqlite_database(tmp_path):
    assert _hotline("migrate", cwd=tmp_path).returncode == 0
    assert (tmp_path / "var" / "hotline.sqlite3").exists()
    imported = _hotline("import", "directory", str(DIRECTORY), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "单位" in imported.stdout
    assert _hotline("config", "set", "callback_scope", "all", cwd=tmp_path).returncode == 0
    refused = _hotline("config", "set", "callback_scope", "sometimes", cwd=tmp_path)
    assert refused.returncode == 2
    assert "回访范围" in refused.stderr
    listed = _hotline("config", "list", cwd=tmp_path)
    assert "callback_scope" in listed.stdout and "'all'" not in listed.stdout


@pytest.mark.django_db
def test_config_set_stores_the_typed_value(capsys):
    assert run(["config", "set", "days_by_category", '{"0501": 3}']) == 0
    assert Setting.objects.get(key="days_by_category").value == {"0501": 3}
    assert run(["config", "set", "no_such_key", "1"]) == 2
    assert "没有名为「no_such_key」的配置项" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_bad_directory_is_reported_with_its_line(tmp_path, capsys):
    (tmp_path / "regions.csv").write_text("code,name,level,parent_code\n1,某市,planet,\n")
    assert run(["import", "directory", str(tmp_path)]) == 2
    assert "regions.csv 第 2 行" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_county_directory_imports_and_exports_with_its_basis(tmp_path, capsys):
    longshan = Path(__file__).parent.parent / "data" / "longshan_directory"
    assert run(["import", "directory", str(longshan)]) == 0
    assert run(["config", "set", "open311_public_reads", "true"]) == 0
    assert run(["export", "directory", str(tmp_path)]) == 0
    assert "派单目录 4 条" in capsys.readouterr().out
    regions = (tmp_path / "regions.csv").read_text(encoding="utf-8").splitlines()
    assert regions[1] == "433130,龙山县,district,,"
    assert "县人社局三定规定" in (tmp_path / "catalogue.csv").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_holiday_rows_extend_the_calendar_to_a_year_the_package_does_not_know():
    from datetime import date

    from hotline.configuration.selectors import working_calendar

    assert not working_calendar().covers(2027)
    assert run(["holiday", "set", "2027-01-01", "rest", "元旦"]) == 0
    calendar = working_calendar()
    assert calendar.covers(2027)
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_workday(date(2027, 1, 4))
    with pytest.raises(SystemExit) as refused:
        run(["holiday", "set", "2027-13-01", "rest"])
    assert refused.value.code == 2


@pytest.mark.django_db
def test_holiday_import_enters_a_whole_year_from_the_notice(tmp_path, capsys):
    from hotline.configuration.models import Holiday
    from tests.services.test_calendar_year import NOTICE_2027

    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    assert run(["holiday", "import", str(notice), "--year", "2027"]) == 0
    assert "已录入 2027 年节假日安排：放假 29 天，调休上班 5 天" in capsys.readouterr().out
    assert Holiday.objects.filter(date__year=2027).count() == 34

    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,rest,元旦\n2027-02-30,rest,\n", encoding="utf-8")
    assert run(["holiday", "import", str(bad), "--year", "2027"]) == 2
    assert "第 2 行" in capsys.readouterr().err
    assert Holiday.objects.filter(date__year=2027).count() == 34


@pytest.mark.django_db
def test_importing_orders_says_how_far_it_is_and_what_it_wrote(tmp_path, capsys):
    from datetime import date

    from hotline.demo.history.generator import generate

    assert run(["import", "directory", str(DIRECTORY)]) == 0
    generate(
        directory=DIRECTORY,
        start=date(2024, 10, 1),
        months=1,
        seed=3,
        out=tmp_path,
        orders_per_month=300,
    )
    lines = len((tmp_path / "orders.jsonl").read_text(encoding="utf-8").splitlines())
    capsys.readouterr()
    assert run(["import", "orders", str(tmp_path / "orders.jsonl")]) == 0
    said = capsys.readouterr()
    assert said.err.splitlines()[-1].startswith(f"已处理 {lines:,} / {lines:,} 件工单（100.0%），")
    assert said.out.startswith(f"已导入 {lines} 件工单，共 ")
