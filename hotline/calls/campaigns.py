"""Outbound campaign use cases (外呼任务, SPEC 8): create from a checked list, share the
numbers among agents, record each call; and the reads: progress, summary, export."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from hotline.calls.models import Campaign, CampaignAnswer, CampaignTarget
from hotline.domain.campaigns import (
    CampaignResult,
    InvalidCampaign,
    check_answers,
    read_questions,
    read_targets,
    shares,
)
from hotline.domain.enums import Role
from hotline.domain.permissions import NotPermitted
from hotline.domain.text_input import single_line

ORGANISERS = frozenset({Role.SUPERVISOR})
CALLERS = frozenset({Role.OPERATOR, Role.CALLBACK_AGENT, Role.SUPERVISOR})
BATCH = 2000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def table_rows(*, name: str, data: bytes) -> list[list[object]]:
    """The rows of an uploaded CSV (UTF-8, with or without BOM, or GB18030) or XLSX."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidCampaign("名单文件不能超过 10 MB", field="file")
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise InvalidCampaign(
                "无法读取该 XLSX 文件，请确认是 Excel 工作簿", field="file"
            ) from None
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidCampaign("CSV 文件编码无法识别，请存为 UTF-8", field="file")
        return list(csv.reader(io.StringIO(text)))
    raise InvalidCampaign("名单须为 CSV 或 XLSX 文件", field="file")


@transaction.atomic
def campaign_create(
    *, actor, name: str, questions: str, rows: list[list[object]], at: datetime | None = None
) -> Campaign:
    if actor.role not in ORGANISERS:
        raise NotPermitted("只有热线办可以创建外呼任务")
    name = single_line(name, 101)
    if not name or len(name) > 100:
        raise InvalidCampaign("请填写任务名称（不超过 100 字）", field="name")
    script = read_questions(questions)
    targets = read_targets(rows)
    campaign = Campaign.objects.create(
        name=name, questions=script, created_by=actor, created_at=at or timezone.now()
    )
    CampaignTarget.objects.bulk_create(
        (
            CampaignTarget(campaign=campaign, line=t.line, phone=t.phone, name=t.name, note=t.note)
            for t in targets
        ),
        batch_size=BATCH,
    )
    return campaign


@transaction.atomic
def campaign_assign(*, actor, campaign: Campaign, agents: list) -> int:
    """Shares the numbers nobody has yet among ``agents``, in list order."""
    if actor.role not in ORGANISERS:
        raise NotPermitted("只有热线办可以分配外呼号码")
    if any(agent.role not in CALLERS or not agent.is_active for agent in agents):
        raise InvalidCampaign("只能分配给在岗的话务员、回访员", field="agents")
    todo = list(
        CampaignTarget.objects.select_for_update()
        .filter(campaign=campaign, agent__isnull=True)
        .order_by("line")
        .values_list("pk", flat=True)
    )
    start = 0
    for agent, count in zip(agents, shares(len(todo), len(agents)), strict=True):
        chunk = todo[start : start + count]
        for part in range(0, len(chunk), BATCH):
            CampaignTarget.objects.filter(pk__in=chunk[part : part + BATCH]).update(agent=agent)
        start += count
    return len(todo)


@transaction.atomic
def campaign_call_record(
    *, actor, target: CampaignTarget, result: str, answers: list[str], at: datetime | None = None
) -> CampaignTarget:
    target = CampaignTarget.objects.select_for_update().select_related("campaign").get(pk=target.pk)
    if actor.role not in CALLERS or (target.agent_id != actor.pk and actor.role not in ORGANISERS):
        raise NotPermitted("该号码未分配给您")
    try:
        outcome = CampaignResult(result)
    except ValueError:
        raise InvalidCampaign("请选择外呼结果", field="result") from None
    questions = len(target.campaign.questions)
    target.answers = check_answers(outcome, answers, questions)
    target.result = outcome.value
    target.called_at = at or timezone.now()
    target.attempts += 1
    target.save(update_fields=["answers", "result", "called_at", "attempts"])
    CampaignAnswer.objects.filter(target=target).delete()
    if outcome is CampaignResult.COMPLETED:
        CampaignAnswer.objects.bulk_create(
            CampaignAnswer(target=target, campaign=target.campaign, question=n, answer=a)
            for n, a in enumerate(target.answers, start=1)
        )
    return target


# --- reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    total: int
    called: int
    by_result: dict[str, int]
    unassigned: int

    @property
    def percent(self) -> float:
        return round(100 * self.called / self.total, 1) if self.total else 0.0


def campaign_progress(*, campaign: Campaign) -> Progress:
    counts = CampaignTarget.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"),
        called=Count("pk", filter=~Q(result="")),
        unassigned=Count("pk", filter=Q(agent__isnull=True)),
        **{f"r_{k.value}": Count("pk", filter=Q(result=k.value)) for k in CampaignResult},
    )
    by_result = {k.label: counts[f"r_{k.value}"] for k in CampaignResult}
    return Progress(counts["total"], counts["called"], by_result, counts["unassigned"])


def campaign_progress_by_agent(*, campaign: Campaign) -> list[dict]:
    return list(
        CampaignTarget.objects.filter(campaign=campaign, agent__isnull=False)
        .values("agent__username", "agent__first_name")
        .annotate(total=Count("pk"), called=Count("pk", filter=~Q(result="")))
        .order_by("agent__username")
    )


def campaign_summary(*, campaign: Campaign) -> list[dict]:
    """Per question, each answer and how many gave it (completed calls), most first."""
    rows = (
        CampaignAnswer.objects.filter(campaign=campaign)
        .values("question", "answer")
        .annotate(n=Count("pk"))
        .order_by("question", "-n", "answer")
    )
    summary = [{"question": q, "answers": []} for q in campaign.questions]
    for row in rows:
        if 1 <= row["question"] <= len(summary):
            summary[row["question"] - 1]["answers"].append((row["answer"], row["n"]))
    return summary


def campaign_next_targets(*, viewer, campaign: Campaign, limit: int = 20):
    return CampaignTarget.objects.filter(campaign=campaign, agent=viewer, result="").order_by(
        "line"
    )[:limit]


def campaign_export(*, campaign: Campaign) -> str:
    """CSV (UTF-8 with BOM, for Excel): each number, its agent, result and answers."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        ["行号", "电话", "姓名", "备注", "话务员", "结果", "外呼时间", *campaign.questions]
    )
    targets = (
        CampaignTarget.objects.filter(campaign=campaign)
        .select_related("agent")
        .order_by("line")
        .iterator(chunk_size=BATCH)
    )
    for t in targets:
        result = CampaignResult(t.result).label if t.result else "未外呼"
        called = timezone.localtime(t.called_at).strftime("%Y-%m-%d %H:%M") if t.called_at else ""
        agent = t.agent.username if t.agent else ""
        writer.writerow([t.line, t.phone, t.name, t.note, agent, result, called, *t.answers])
    return out.getvalue()
