"""Running jobs: the schedule's slots claimed once, the run log, the embedded backend,
the monthly draft and retraining."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from hotline.assistance import store
from hotline.assistance.retraining import model_retrain
from hotline.cli.main import run as hotline
from hotline.domain.enums import Role
from hotline.domain.schedule import SCHEDULE
from hotline.jobs import enqueue, registry, runner, runs
from hotline.jobs.backends import EmbeddedBackend
from hotline.jobs.models import JobRun
from hotline.jobs.scheduler import Scheduler
from hotline.reports.models import ReportDraft
from hotline.reports.monthly import report_draft_monthly
from hotline.reports.services import draft_create
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self, fail: bool = False):
        self.queued, self.fail = [], fail

    def enqueue(self, name, params, run_id=None):
        if self.fail:
            raise ConnectionError("Redis 不可用")
        self.queued.append((name, run_id))


def test_two_schedulers_on_one_clock_queue_each_slot_once():
    first, second = Recorder(), Recorder()
    now = local(2026, 3, 2, 9, 7)
    # Every job with a schedule; publishing a report runs when the office asks only.
    scheduled = set(registry.JOBS) - {"report_publish"}
    assert scheduled == set(SCHEDULE)
    assert set(Scheduler(first).tick(now)) == scheduled
    assert Scheduler(second).tick(now) == []
    assert JobRun.objects.count() == len(scheduled)
    run = JobRun.objects.get(job="deadline_warnings")
    assert (run.slot, run.status) == (local(2026, 3, 2, 9, 0), "queued")
    assert ("deadline_warnings", run.pk) in first.queued


def test_a_scheduler_asks_again_only_when_a_new_slot_comes():
    recorder = Recorder()
    scheduler = Scheduler(recorder)
    scheduler.tick(local(2026, 3, 2, 9, 7))
    assert scheduler.tick(local(2026, 3, 2, 9, 9)) == []
    assert scheduler.tick(local(2026, 3, 2, 9, 10)) == [
        "notifications_deliver",
        "deadline_warnings",
        "overdue_marking",
        "sign_for_watch",
        "order_text_catch_up",
    ]


def test_a_slot_that_could_not_be_queued_is_tried_again():
    now = local(2026, 3, 2, 9, 7)
    assert Scheduler(Recorder(fail=True)).tick(now) == []
    assert not JobRun.objects.exists()
    assert len(Scheduler(Recorder()).tick(now)) == len(SCHEDULE)


def test_the_embedded_backend_runs_at_once_until_started_and_logs_the_run(caplog):
    run_id = runs.run_create("overdue_marking", now=timezone.now())
    EmbeddedBackend().enqueue("overdue_marking", {}, run_id=run_id)
    run = JobRun.objects.get(pk=run_id)
    assert (run.status, run.attempts, run.summary) == ("done", 1, "新超期 0 件")
    assert run.started_at is not None and run.finished_at >= run.started_at
    assert "后台任务「超期标记」完成：新超期 0 件" in caplog.text


def test_a_failed_run_is_recorded_with_its_error(monkeypatch):
    def broken(*, now):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("hotline.jobs.runs.job_runs_prune", broken)
    run_id = runs.run_create("job_runs_prune", now=timezone.now())
    with pytest.raises(RuntimeError):
        runner.run("job_runs_prune", {}, run_id)
    run = JobRun.objects.get(pk=run_id)
    assert run.status == "failed" and "RuntimeError: 磁盘已满" in run.error


def test_enqueue_refuses_an_unknown_job():
    with pytest.raises(registry.UnknownJob):
        enqueue("no_such_job")


def test_old_runs_are_pruned(settings):
    JobRun.objects.create(job="x", status="done", queued_at=local(2025, 1, 1))
    JobRun.objects.create(job="y", status="done", queued_at=local(2026, 3, 1))
    from hotline.jobs.runs import job_runs_prune

    assert job_runs_prune(now=local(2026, 3, 2)) == "删除 1 条 90 天前的运行记录"
    assert list(JobRun.objects.values_list("job", flat=True)) == ["y"]


def test_the_monthly_draft_is_made_once_and_never_over_the_supervisors(city):
    first = local(2026, 3, 1, 6, 0)
    assert report_draft_monthly(now=first) == "已建立2026年02月通报草稿"
    assert report_draft_monthly(now=first) == "2026年02月已有通报草稿，未新建"
    draft = ReportDraft.objects.get()
    assert (str(draft.start), str(draft.end)) == ("2026-02-01", "2026-02-28")
    assert draft.created_by is None
    draft_create(
        start=local(2026, 3, 1).date(),
        end=local(2026, 3, 31).date(),
        actor=city.users[Role.SUPERVISOR],
        title="三月通报",
    )
    assert report_draft_monthly(now=local(2026, 4, 1, 6, 0)) == "2026年03月已有通报草稿，未新建"
    assert ReportDraft.objects.filter(title="三月通报").count() == ReportDraft.objects.count() - 1


def test_the_schedules_draft_is_listed_as_made_by_the_system(city, client):
    report_draft_monthly(now=local(2026, 3, 1, 6, 0))
    client.force_login(city.users[Role.SUPERVISOR])
    page = client.get("/reports/")
    assert page.status_code == 200 and "系统（定时生成）" in page.content.decode()


def test_retraining_waits_for_the_history_to_grow(city, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert model_retrain(now=local(2026, 3, 2)) == "没有历史工单，未训练"
    factories.register(city, local(2026, 3, 2, 9, 0))
    assert model_retrain(now=local(2026, 3, 2)).startswith("未训练：")  # too little history
    trained = SimpleNamespace(metadata={"samples": 1, "to": "2026-03-02T09:00:00+08:00"})
    store.save(trained, tmp_path / "models")
    assert model_retrain(now=local(2026, 3, 2)).startswith("历史工单未增加（1 张）")


def test_jobs_can_be_listed_and_run_by_hand(capsys):
    assert hotline(["jobs", "list"]) == 0
    listed = capsys.readouterr().out
    assert "overdue_supervision" in listed and "每 30 分钟" in listed and "从未运行" in listed
    assert hotline(["jobs", "run", "overdue_marking"]) == 0
    assert "「超期标记」完成：新超期 0 件" in capsys.readouterr().out
    assert JobRun.objects.get().slot is None
    assert hotline(["jobs", "list"]) == 0
    assert "已完成 新超期 0 件" in capsys.readouterr().out
    assert hotline(["jobs", "run", "nothing"]) == 2
    assert "没有名为「nothing」的后台任务" in capsys.readouterr().err


def test_the_worker_needs_the_queue(capsys):
    assert hotline(["worker"]) == 2
    assert "HOTLINE_JOBS=redis" in capsys.readouterr().err


def test_runs_a_stopped_process_left_unfinished_are_found_again():
    now = timezone.now()
    finished = runs.run_claim("model_retrain", local(2026, 2, 1, 2), now=now)
    runs.run_finished(finished, now=now, summary="已保存模型")
    left = runs.run_claim("model_retrain", local(2026, 3, 1, 2), now=now)
    runs.run_started(left, now=now)
    done = runs.run_claim("report_draft_monthly", local(2026, 3, 1, 6), now=now)
    runs.run_finished(done, now=now)
    assert [run.pk for run in runs.runs_left_unfinished()] == [left]


def test_what_a_job_run_by_hand_starts_runs_once_after_it(monkeypatch):
    started = []
    monkeypatch.setattr(
        "hotline.notifications.delivery.notifications_deliver",
        lambda *, now: started.append(now) or "发送 0 条",
    )

    def warns_twice(*, now):
        enqueue("notifications_deliver")
        enqueue("notifications_deliver")
        assert started == []  # not in the middle of this job
        return "黄色预警 2 件"

    monkeypatch.setattr("hotline.deadline_watch.deadlines.deadline_warnings", warns_twice)
    assert hotline(["jobs", "run", "deadline_warnings"]) == 0
    assert len(started) == 1


def test_only_the_redis_backend_queues(capsys):
    assert hotline(["jobs", "run", "overdue_marking", "--queue"]) == 2
    assert "HOTLINE_JOBS=redis" in capsys.readouterr().err
    assert not JobRun.objects.exists()


def test_a_job_failing_by_hand_says_so_and_is_recorded(monkeypatch, capsys):
    def broken(*, now):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr("hotline.jobs.runs.job_runs_prune", broken)
    assert hotline(["jobs", "run", "job_runs_prune"]) == 2
    assert "「清理任务记录」失败：RuntimeError: 磁盘已满" in capsys.readouterr().err
    assert JobRun.objects.get().status == "failed"
