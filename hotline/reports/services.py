"""Writing reports: the supervisor's draft (period, title, narrative, cases) and
publishing it. One function per use case, one transaction each.

Publishing renders every format first (LibreOffice takes seconds; no transaction is held
open meanwhile), then stores the frozen document, the editorial and the files as the next
version of that period. Nothing here changes or removes a published report: a corrected
report is published again and becomes the next version, the earlier ones stay.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hotline.accounts.models import User
from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.configuration.selectors import appeal_window_days, letterhead, working_calendar
from hotline.domain import appeal_window
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.domain.permissions import NotPermitted
from hotline.orders.models import Order
from hotline.orders.selectors import visible_orders
from hotline.reports import rendering
from hotline.reports.editorial import CaseKind
from hotline.reports.models import (
    DraftCase,
    PublishedFile,
    PublishedReport,
    ReportDraft,
    ReportPublishing,
)
from hotline.reports.selectors import case_prefill, draft_editorial, unconfirmed_cases

TITLE_MAX = 200
TEXT_MAX = 20_000
CASES_MAX = 30


class ReportRefused(DomainError):
    code = "report_refused"


def _authorize(actor) -> None:
    """SPEC 1: reports are the office's (热线办) work; leaders only read them."""
    if actor.role != Role.SUPERVISOR:
        raise NotPermitted(f"「{Role(actor.role).label}」角色不能编辑或发布通报")


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise ReportRefused("统计期间的起始日期不能晚于截止日期")


def _check_texts(**texts: str) -> None:
    names = {"title": "标题", "experience": "经验做法", "problems": "存在的问题"}
    names |= {"next_steps": "下一步工作要求", "complaint": "来电反映", "result": "处理结果"}
    names |= {"callback": "回访", "care": "领导关怀", "praise": "通报表扬"}
    for key, value in texts.items():
        limit = TITLE_MAX if key == "title" else TEXT_MAX
        if len(value or "") > limit:
            raise ReportRefused(f"「{names.get(key, key)}」不能超过 {limit} 字")


@transaction.atomic
def draft_create(
    *, start: date, end: date, actor: User | None, title: str = "", at: datetime | None = None
) -> ReportDraft:
    _authorize(actor)
    _check_period(start, end)
    _check_texts(title=title)
    at = at or timezone.now()
    return ReportDraft.objects.create(
        start=start,
        end=end,
        title=title.strip(),
        created_by=actor,
        created_at=at,
        updated_at=at,
    )


def draft_create_scheduled(*, start: date, end: date, at: datetime) -> ReportDraft | None:
    """The schedule's draft of a period, made by nobody (``created_by`` None), unless the
    period has a draft already: the supervisor's own is never doubled nor touched."""
    _check_period(start, end)
    if ReportDraft.objects.filter(start=start, end=end).exists():
        return None
    try:
        with transaction.atomic():
            return ReportDraft.objects.create(start=start, end=end, created_at=at, updated_at=at)
    except IntegrityError:  # another run made it meanwhile (one scheduled draft a period)
        return None


@transaction.atomic
def draft_save(
    *,
    draft: ReportDraft,
    actor: User | None,
    start: date,
    end: date,
    title: str,
    experience: str,
    problems: str,
    next_steps: str,
    care: str = "",
    praise: str = "",
    at: datetime | None = None,
) -> ReportDraft:
    _authorize(actor)
    _check_period(start, end)
    _check_texts(
        title=title,
        experience=experience,
        problems=problems,
        next_steps=next_steps,
        care=care,
        praise=praise,
    )
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    draft.start, draft.end = start, end
    draft.title = title.strip()
    draft.experience, draft.problems, draft.next_steps = experience, problems, next_steps
    draft.care, draft.praise = care, praise
    draft.updated_at = at or timezone.now()
    draft.save()
    return draft


def _touch(draft: ReportDraft, at: datetime | None) -> None:
    ReportDraft.objects.filter(pk=draft.pk).update(updated_at=at or timezone.now())


@transaction.atomic
def draft_case_add(
    *, draft: ReportDraft, number: str, kind: str, actor: User | None, at: datetime | None = None
) -> DraftCase:
    """Adds the order as a case, its texts prefilled from the order (来电反映 from the
    content, 处理结果 from the accepted reply, 回访 from the callback)."""
    _authorize(actor)
    kind = CaseKind(kind)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    try:
        order = visible_orders(viewer=actor).select_related("lead_unit").get(number=number)
    except Order.DoesNotExist:
        raise ReportRefused(f"未找到工单「{number}」") from None
    cases = draft.cases.all()
    if cases.filter(order=order).exists():
        raise ReportRefused(f"工单「{number}」已在案例摘选中")
    if cases.count() >= CASES_MAX:
        raise ReportRefused(f"一期通报最多摘选 {CASES_MAX} 个案例")
    position = (cases.aggregate(last=Max("position"))["last"] or 0) + 1
    case = DraftCase.objects.create(
        draft=draft, order=order, position=position, kind=kind.value, **case_prefill(order=order)
    )
    _touch(draft, at)
    return case


@transaction.atomic
def draft_case_save(
    *,
    case: DraftCase,
    actor: User | None,
    kind: str,
    title: str,
    complaint: str,
    result: str,
    callback: str,
    at: datetime | None = None,
) -> DraftCase:
    _authorize(actor)
    _check_texts(title=title, complaint=complaint, result=result, callback=callback)
    if not complaint.strip():
        raise ReportRefused("请填写案例的「来电反映」")
    case = DraftCase.objects.select_for_update().get(pk=case.pk)
    case.kind = CaseKind(kind).value
    case.title = title.strip()
    case.complaint, case.result, case.callback = complaint, result, callback
    case.save()
    _touch(case.draft, at)
    return case


@transaction.atomic
def draft_case_confirm(*, case: DraftCase, actor: User | None, at: datetime | None = None) -> None:
    """SPEC 7 (2026-12): the supervisor keeps a flagged case (an order in rework, left
    unsatisfied or appealed) knowingly; the confirmation is kept with who and when."""
    _authorize(actor)
    at = at or timezone.now()
    DraftCase.objects.filter(pk=case.pk).update(confirmed_by=actor, confirmed_at=at)
    _touch(case.draft, at)


@transaction.atomic
def draft_case_remove(*, case: DraftCase, actor: User | None, at: datetime | None = None) -> None:
    _authorize(actor)
    draft = case.draft
    DraftCase.objects.filter(pk=case.pk).delete()
    _touch(draft, at)


def _period_of(document: dict) -> tuple[date, date]:
    try:
        period = document["period"]
        return date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    except (KeyError, TypeError, ValueError):
        raise ReportRefused("统计数据缺少有效的统计期间") from None


class AppealWindowOpen(ReportRefused):
    code = "appeal_window_open"


def appeal_window_closes(*, start: date, end: date) -> datetime:
    """SPEC 5 (2026-12): when the units' appeals against the period's provisional grades
    close — the appeal window counted from the day the grades appear (the day after the
    period)."""
    return appeal_window.window_end(
        callback_at=datetime.combine(end, datetime.min.time(), LOCAL_TZ),
        grades_on=end + timedelta(days=1),
        days=appeal_window_days(),
        calendar=working_calendar(),
    )


def _check_publishable(draft: ReportDraft, at: datetime, override_reason: str) -> bool:
    """Refuses a publishing the office may not make yet; True when it is early (inside
    the appeal window, with a reason)."""
    closes = appeal_window_closes(start=draft.start, end=draft.end)
    early = at <= closes
    if early and not override_reason.strip():
        raise AppealWindowOpen(
            f"本期申诉期限至 {closes.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} 截止，"
            "截止后方可发布；如确需提前发布，请填写提前发布理由"
        )
    flagged = unconfirmed_cases(draft=draft)
    if flagged:
        case, warnings = flagged[0]
        raise CaseNotConfirmed(
            f"案例（工单 {case.order.number}）{'；'.join(warnings)}，请确认保留或移除后再发布"
        )
    return early


class CaseNotConfirmed(ReportRefused):
    code = "case_not_confirmed"


def _issued(draft: ReportDraft, at: datetime):
    """The letterhead with its 文号 and 成文日期: a period published again keeps its
    number; otherwise the year's next (the periods published that year, plus one)."""
    day = at.astimezone(LOCAL_TZ).date()
    earlier = (
        PublishedReport.objects.filter(start=draft.start, end=draft.end)
        .order_by("version")
        .values_list("editorial", flat=True)
        .first()
    )
    office = letterhead()
    kept = (earlier or {}).get("letterhead", {}).get("number")
    if kept:
        return replace(office, number=kept, issued_on=day)
    year_start = datetime(day.year, 1, 1, tzinfo=LOCAL_TZ)
    published = (
        PublishedReport.objects.filter(published_at__gte=year_start, published_at__lte=at)
        .values("start", "end")
        .distinct()
        .count()
    )
    return office.issued(on=day, sequence=published + 1)


def report_publish(
    *,
    draft: ReportDraft,
    document: dict,
    actor: User | None,
    at: datetime | None = None,
    override_reason: str = "",
    progress=None,
) -> PublishedReport:
    """Freezes ``document`` (the statistics of the draft's period) with the draft's
    editorial as the next version of that period, with every format rendered, under the
    office's letterhead with its 文号 and 成文日期 (SPEC 7, 2026-12).

    SPEC 5 (2026-12): only once the period's appeal window has closed; before, the office
    may publish with a reason, which the audit trail keeps. ``progress(step)`` is told
    each format as it is rendered."""
    _authorize(actor)
    draft = ReportDraft.objects.get(pk=draft.pk)
    if _period_of(document) != (draft.start, draft.end):
        raise ReportRefused("统计数据的期间与草稿不一致，请刷新页面后重新发布")
    at = at or timezone.now()
    early = _check_publishable(draft, at, override_reason)
    editorial = draft_editorial(draft=draft)
    issued = _issued(draft, at)
    files = rendering.render_all(
        document, editorial=editorial, letterhead=issued, progress=progress
    )
    title = rendering.report_title(document, editorial, issued)
    if early:
        audit_record(
            action=AuditRecord.Action.EARLY_PUBLISH,
            actor=actor,
            detail=f"{draft.start}–{draft.end} 申诉期内提前发布：{override_reason.strip()}",
        )
    frozen = editorial.as_dict() | {"letterhead": issued.as_dict()}
    try:
        return _store(draft, document, frozen, title, files, actor, at)
    except IntegrityError:
        # Someone published the same period in the meantime: this one is the next version.
        return _store(draft, document, frozen, title, files, actor, at)


class PublishingUnderWay(ReportRefused):
    code = "publishing_under_way"


def report_publish_request(
    *,
    draft: ReportDraft,
    document: dict,
    actor: User | None,
    at: datetime | None = None,
    override_reason="",
) -> ReportPublishing:
    """Publishing ``document`` (the period's figures, counted now) as a background job
    (the ``report_publish`` job): what can be refused at once is, with the reason; the
    rendering runs after the request, its progress on the row this returns."""
    from hotline.jobs import enqueue

    _authorize(actor)
    at = at or timezone.now()
    draft = ReportDraft.objects.get(pk=draft.pk)
    if _period_of(document) != (draft.start, draft.end):
        raise ReportRefused("统计数据的期间与草稿不一致，请刷新页面后重新发布")
    _check_publishable(draft, at, override_reason)
    try:
        with transaction.atomic():
            publishing = ReportPublishing.objects.create(
                draft=draft,
                requested_by=actor,
                requested_at=at,
                override_reason=override_reason.strip()[:150],
                document=document,
                status=ReportPublishing.Status.QUEUED,
                step="排队等待发布",
                total_steps=len(rendering.FORMATS) + 1,
            )
            transaction.on_commit(lambda: enqueue("report_publish", publishing=publishing.pk))
    except IntegrityError:
        raise PublishingUnderWay("本期通报正在发布中，请等待完成") from None
    return publishing


@transaction.atomic
def _store(draft, document, editorial, title, files, actor, at) -> PublishedReport:
    latest = PublishedReport.objects.filter(start=draft.start, end=draft.end).aggregate(
        last=Max("version")
    )["last"]
    report = PublishedReport.objects.create(
        start=draft.start,
        end=draft.end,
        version=(latest or 0) + 1,
        title=title,
        document=document,
        editorial=editorial,
        draft=draft,
        published_by=actor,
        published_at=at,
    )
    PublishedFile.objects.bulk_create(
        PublishedFile(
            report=report,
            format=fmt,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        for fmt in rendering.FORMATS
        if (content := files.get(fmt)) is not None
    )
    return report
