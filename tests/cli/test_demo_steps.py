"""`bin/demo` tells each step as it starts and how long it took (SPEC 13: the first start
shows progress for every step)."""

import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from hotline.cli import main

STEP = re.compile(r"^\[(\d)/(\d)\] (.+)……$")


def steps_told(output: str) -> list[tuple[int, int, str]]:
    return [(int(m[1]), int(m[2]), m[3]) for line in output.splitlines() if (m := STEP.match(line))]


def test_a_fresh_demo_without_history_tells_its_three_steps(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "HOTLINE_"))}
    env["DJANGO_SETTINGS_MODULE"] = "hotline.project.settings"
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "demo", "--months", "0"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert steps_told(done.stdout) == [
        (1, 3, "建立数据库"),
        (2, 3, "载入湘潭市演示目录"),
        (3, 3, "建立演示账号和知识库"),
    ]
    assert done.stdout.count("完成，用时") == 3
    assert "全部 3 步完成" in done.stdout and "演示账号" in done.stdout


@pytest.mark.django_db
def test_the_history_steps_are_told_in_order(monkeypatch, capsys, tmp_path, settings):
    """Every step of a first start with history, the slow ones stood in for."""
    settings.VAR_DIR = tmp_path
    made = SimpleNamespace(start="2026-09-01", orders=3, folder=tmp_path)
    monkeypatch.setattr(main, "_migrate", lambda: None)
    monkeypatch.setattr(main, "_import_directory", lambda folder: None)
    monkeypatch.setattr(main, "_import_orders", lambda path, **how: print("已导入 3 件工单"))
    monkeypatch.setattr(main, "_import_calls", lambda path, **how: None)
    monkeypatch.setattr(main, "_train", lambda since, refit: 0)
    monkeypatch.setattr("hotline.demo.history_load.demo_history_generate", lambda **kwargs: made)
    monkeypatch.setattr("hotline.knowledge.demo.load_demo_knowledge", lambda folder: 0)
    monkeypatch.setattr("hotline.demo.setup.ensure_accounts", lambda path: [])
    main._demo(SimpleNamespace(months=3))
    told = steps_told(capsys.readouterr().out)
    assert [title for *_, title in told] == [
        "建立数据库",
        "载入湘潭市演示目录",
        "建立演示账号和知识库",
        "生成近 3 个月的演示工单",
        "导入工单",
        "导入来电记录",
        "建立工单内容检索词",
        "训练受理推荐模型",
    ]
    assert [(n, total) for n, total, _ in told] == [(n, 8) for n in range(1, 9)]
