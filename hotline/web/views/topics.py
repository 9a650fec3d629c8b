"""The topic pages (每月一题 / 一类事 / 主动治理): the list (the office takes a topic up
there), a topic with its orders, plan, progress and recurrences, and the miner's
candidates of a month (候选一类事) with their evidence and a 立项 button.

Which topics a viewer sees is the selectors' business (a unit handler: those its unit
leads or helps with); what a role may do is ``permissions``; the services refuse the
rest with a Chinese message, shown on the page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.directory.models import Category, Unit
from hotline.domain.actions import Action
from hotline.domain.deadlines import LOCAL_TZ
from hotline.domain.enums import Role, TopicLinkSource, TopicStatus
from hotline.domain.errors import DomainError
from hotline.domain.permissions import may
from hotline.domain.topic_mining import TopicCandidate
from hotline.governance.matching import topic_suggestions
from hotline.governance.mining import propose_topics
from hotline.governance.models import Milestone, Topic
from hotline.governance.selectors import (
    taken_up,
    topic_co_units,
    topic_get,
    topic_links,
    topic_list,
    topic_milestones,
    topic_notes,
    topic_recurrences,
    writes_for_topic,
)
from hotline.governance.services import (
    milestone_add,
    milestone_done,
    progress_note_add,
    topic_create,
    topic_link,
    topic_move,
)
from hotline.orders.models import Order
from hotline.orders.selectors import order_get
from hotline.web.access import page
from hotline.web.forms.topics import (
    LinkForm,
    MilestoneDoneForm,
    MilestoneForm,
    MonthField,
    MoveForm,
    NoteForm,
    TakeUpForm,
    TopicFilterForm,
    TopicForm,
)
from hotline.web.paging import keyset_page
from hotline.web.versioned import kept_per_version


def _errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _today() -> date:
    return timezone.now().astimezone(LOCAL_TZ).date()


@page("topics")
@require_http_methods(["GET", "POST"])
def topics(request):
    status, form = 200, TopicForm(initial={"month": _today().replace(day=1)})
    if request.method == "POST":
        if not may(request.user.role, Action.TOPIC_MANAGE):
            raise PermissionDenied(f"「{Role(request.user.role).label}」角色不能立项")
        form = TopicForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = topic_create(actor=request.user, at=timezone.now(), **data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"已立项：{topic.title}")
                return redirect("web:topic_detail", pk=topic.pk)
        status = 400
    filters = TopicFilterForm(request.GET or None)
    chosen = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    rows = topic_list(viewer=request.user, status=chosen)
    listing = keyset_page(rows, cursor=request.GET.get("cursor"), key="created_at", descending=True)
    context = {
        "filters": filters,
        "page": listing,
        "form": form,
        "may_manage": may(request.user.role, Action.TOPIC_MANAGE),
    }
    return render(request, "web/topics/list.html", context, status=status)


def _link(request, topic, form):
    number = form.cleaned_data["number"].strip()
    try:
        order = order_get(number=number, viewer=request.user)
    except Order.DoesNotExist:
        raise DomainError(f"未找到工单 {number}") from None
    source = TopicLinkSource.SUGGESTION if form.cleaned_data["suggested"] else TopicLinkSource.HAND
    topic_link(topic=topic, order=order, actor=request.user, at=timezone.now(), source=source)
    return f"已关联工单 {order.number}"


def _milestone(request, topic, form):
    done = milestone_add(topic=topic, actor=request.user, **form.cleaned_data)
    return f"已添加工作节点：{done.title}"


def _milestone_done(request, topic, form):
    try:
        milestone = topic_milestones(topic=topic).get(pk=form.cleaned_data["milestone"])
    except Milestone.DoesNotExist:
        raise Http404("没有这个工作节点") from None
    milestone_done(milestone=milestone, actor=request.user, at=timezone.now())
    return f"工作节点「{milestone.title}」已完成"


def _note(request, topic, form):
    progress_note_add(
        topic=topic, text=form.cleaned_data["text"], actor=request.user, at=timezone.now()
    )
    return "已填报推进情况"


def _move(request, topic, form):
    moved = topic_move(
        topic=topic, status=form.cleaned_data["status"], actor=request.user, at=timezone.now()
    )
    return f"每月一题已改为「{TopicStatus(moved.status).label}」"


# What each posted form does, its form, and the permission it needs.
POSTS = {
    "link": (LinkForm, _link, Action.TOPIC_MANAGE),
    "milestone": (MilestoneForm, _milestone, Action.TOPIC_MANAGE),
    "milestone_done": (MilestoneDoneForm, _milestone_done, Action.TOPIC_MANAGE),
    "note": (NoteForm, _note, Action.TOPIC_NOTE),
    "move": (MoveForm, _move, Action.TOPIC_MANAGE),
}


@page("topic_detail")
@require_http_methods(["GET", "POST"])
def topic_detail(request, pk: int):
    try:
        topic = topic_get(pk=pk, viewer=request.user)
    except Topic.DoesNotExist:
        raise Http404("没有这个每月一题") from None
    status = 200
    if request.method == "POST":
        do = request.POST.get("do", "")
        if do not in POSTS:
            raise Http404("没有这项操作")
        Form, act, action = POSTS[do]
        if not may(request.user.role, action):
            raise PermissionDenied(f"「{Role(request.user.role).label}」角色不能进行此操作")
        form = Form(request.POST)
        if form.is_valid():
            try:
                done = act(request, topic, form)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, done)
                return redirect("web:topic_detail", pk=topic.pk)
        else:
            for line in _errors(form):
                messages.error(request, line)
        status = 400
    may_manage = may(request.user.role, Action.TOPIC_MANAGE)
    context = {
        "topic": topic,
        "co_units": topic_co_units(topic=topic),
        "links": topic_links(topic=topic),
        "milestones": topic_milestones(topic=topic),
        "notes": topic_notes(topic=topic),
        "recurrences": topic_recurrences(topic=topic),
        # Only those who link are offered orders to link.
        "suggestions": topic_suggestions(topic=topic)
        if may_manage and topic.status == TopicStatus.ACTIVE
        else [],
        "may_manage": may_manage,
        "may_note": may(request.user.role, Action.TOPIC_NOTE)
        and topic.status != TopicStatus.CLOSED
        and writes_for_topic(topic=topic, viewer=request.user),
        "moves": [
            s for s in TopicStatus if s != topic.status and topic.status != TopicStatus.CLOSED
        ],
        "link_form": LinkForm(),
        "milestone_form": MilestoneForm(),
        "note_form": NoteForm(),
    }
    return render(request, "web/topics/detail.html", context, status=status)


def _month_of(request) -> date:
    field = MonthField(required=False)
    try:
        chosen = field.clean(request.GET.get("month", ""))
    except forms.ValidationError:  # a bad month shows the current one, with a message
        messages.error(request, "月份格式不正确，请按 2026-11 的格式填写")
        chosen = None
    return chosen or _today().replace(day=1)


def _month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return min(following - timedelta(days=1), _today())


# How long a month's candidates are kept for one data version: what the version does
# not see (the directory, the office's settings) shows within this.
PROPOSALS_SECONDS = 10 * 60


def _proposals(month: date) -> tuple[datetime, list[TopicCandidate]]:
    """When the miner ran over the month, and its candidates: mining reads half a year
    of orders (tens of seconds at 300 000 a month), so a load whose data have not
    changed since reads the candidates it found then."""
    end = _month_end(month)
    return kept_per_version(
        f"topic-proposals:{month.isoformat()}:{end.isoformat()}",
        lambda: propose_topics(month_start=month, month_end=end),
        seconds=PROPOSALS_SECONDS,
    )


@page("topic_proposals")
@require_http_methods(["GET", "POST"])
def topic_proposals(request):
    """The miner's candidates of a month; 立项 takes one up with its orders linked."""
    status, failed = 200, {}
    if request.method == "POST":
        if not may(request.user.role, Action.TOPIC_MANAGE):
            raise PermissionDenied(f"「{Role(request.user.role).label}」角色不能立项")
        form = TakeUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            month = data["month"]
            found = {c.key: c for c in _proposals(month)[1]}
            candidate = found.get(data["key"])
            try:
                if candidate is None:
                    raise DomainError("该候选已不在本月的候选一类事中，请刷新页面后重试")
                topic = topic_create(
                    actor=request.user,
                    at=timezone.now(),
                    title=data["title"],
                    lead_unit=data["lead_unit"],
                    co_units=data["co_units"],
                    month=month,
                    description="\n".join(candidate.evidence),
                    place=candidate.place,
                    category=Category.objects.filter(code=candidate.category_code).first(),
                    proposal_key=candidate.key,
                    order_ids=candidate.order_ids,
                )
            except DomainError as error:
                failed[data["key"]] = error.message
            else:
                messages.success(
                    request, f"已立项：{topic.title}，关联工单 {len(candidate.order_ids)} 件"
                )
                return redirect("web:topic_detail", pk=topic.pk)
        else:
            failed[request.POST.get("key", "")] = "；".join(_errors(form))
        for message in failed.values():
            messages.error(request, message)
        status = 400
        month = form.cleaned_data.get("month") or _today().replace(day=1)
    else:
        month = _month_of(request)
    mined_at, candidates = _proposals(month)
    units = Unit.objects.in_bulk({u for c in candidates for u in c.unit_ids})
    topics_taken = taken_up(keys=[c.key for c in candidates])
    rows = [
        {
            "candidate": c,
            "units": [units[u] for u in c.unit_ids if u in units],
            "topic": topics_taken.get(c.key),
            "error": failed.get(c.key, ""),
        }
        for c in candidates
    ]
    context = {
        "month": month,
        "mined_at": mined_at,
        "rows": rows,
        "may_manage": may(request.user.role, Action.TOPIC_MANAGE),
        "list_url": reverse("web:topics"),
    }
    return render(request, "web/topics/proposals.html", context, status=status)


urls = [
    path("topics/", topics, name="topics"),
    path("topics/proposals/", topic_proposals, name="topic_proposals"),
    path("topics/<int:pk>/", topic_detail, name="topic_detail"),
]
