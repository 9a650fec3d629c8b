"""Every background job, by name: what it is called, where its function lives, how long
it may run. A job's function takes ``now`` (and any parameters it was queued with) and
returns a one-line summary of what it did; it must be idempotent, because the queue
delivers at least once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from types import MappingProxyType

from hotline.domain.errors import DomainError


class UnknownJob(DomainError):
    code = "unknown_job"


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    function: str  # "module:function", imported when the job first runs
    description: str
    time_limit: timedelta = timedelta(minutes=10)
    # Long pure-Python work: inside `hotline serve` it runs in a process of its own, so
    # that it does not take the interpreter from the pages.
    own_process: bool = False

    def load(self) -> Callable[..., str]:
        module, name = self.function.split(":")
        return getattr(import_module(module), name)


JOBS: Mapping[str, Job] = MappingProxyType(
    {
        job.name: job
        for job in (
            Job(
                "notifications_deliver",
                "发送通知",
                "hotline.notifications.delivery:notifications_deliver",
                "发出通知发件箱中到期的短信和邮件，失败的稍后重试",
            ),
            Job(
                "deadline_warnings",
                "黄色预警",
                "hotline.deadline_watch.deadlines:deadline_warnings",
                "办理时限进入最后一段（黄色预警比例）的工单，通知主办单位",
            ),
            Job(
                "overdue_marking",
                "超期标记",
                "hotline.deadline_watch.deadlines:overdue_marking",
                "记录超过办理时限的工单（每个时限一次），通知主办单位",
            ),
            Job(
                "overdue_supervision",
                "超期自动督办",
                "hotline.deadline_watch.deadlines:overdue_supervision",
                "超期且未被黄牌、红牌督办的工单，以系统名义黄牌督办（每个时限一次）",
            ),
            Job(
                "supervision_escalation",
                "督办逾期升级",
                "hotline.deadline_watch.supervision:supervision_escalation",
                "督办回复期限已过仍未回复的，升级一级（一般→黄牌→红牌→告知单位领导）",
            ),
            Job(
                "sign_for_watch",
                "签收监控",
                "hotline.deadline_watch.sign_for:sign_for_watch",
                "待签收工单：签收时间过半预警、超过签收时限记签收超时并通知主办单位，"
                "超时仍未签收的以系统名义黄牌督办（每个签收时限各一次）",
            ),
            Job(
                "report_draft_monthly",
                "月报草稿",
                "hotline.reports.monthly:report_draft_monthly",
                "为上个月建立通报草稿（该月已有草稿时不建）",
            ),
            Job(
                "report_facts",
                "通报日统计",
                "hotline.statistics.day_facts:report_facts",
                "统计截至昨日各日的通报数字（已统计的日期有新办理记录时重新统计），"
                "通报和本月统计据此只需汇总",
                time_limit=timedelta(hours=2),
            ),
            Job(
                "report_publish",
                "发布通报",
                "hotline.reports.publishing:report_publish_run",
                "热线办点击发布后：统计数据、生成各格式文件并存档为新版本",
                time_limit=timedelta(minutes=15),
            ),
            Job(
                "model_retrain",
                "重训推荐模型",
                "hotline.assistance.retraining:model_retrain",
                "历史工单比上次训练时有增加时，重新训练受理推荐模型",
                time_limit=timedelta(hours=3),
                own_process=True,
            ),
            Job(
                "order_text_catch_up",
                "工单检索词",
                "hotline.orders.services.text_index:order_texts_catch_up",
                "为导入等未经事件写入的工单建立内容检索词（登记和答复时即时建立）",
            ),
            Job(
                "calendar_warning",
                "节假日安排提醒",
                "hotline.notifications.calendar_watch:calendar_warning",
                "10 月 1 日起下一年节假日安排未录入时，提醒热线办和系统管理员（每人每年一次）",
            ),
            Job(
                "topic_recurrence_watch",
                "每月一题回头看",
                "hotline.governance.recurrence:topic_recurrence_watch",
                "已解决的每月一题：找出解决后新登记的同地点、同类诉求工单，记在该题上",
            ),
            Job(
                "job_runs_prune",
                "清理任务记录",
                "hotline.jobs.runs:job_runs_prune",
                "删除保留期以前的后台任务运行记录",
            ),
        )
    }
)


def job(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise UnknownJob(f"没有名为「{name}」的后台任务，可用的任务：{'、'.join(JOBS)}") from None
