"""Every action on an order from a page: ``POST /orders/<number>/do/<slug>/``.

The pages post the same fields the API takes, so one definition per action
(``hotline.api.order_actions``) gives both the input rules and the service called;
a refusal comes back as a message on the page the user came from, nothing written.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from hotline.api.order_actions import ACTION_APIS
from hotline.domain.enums import Role
from hotline.domain.errors import DomainError
from hotline.domain.permissions import may
from hotline.orders.models import Order
from hotline.orders.selectors import order_get
from hotline.orders.selectors.timeline import event_told
from hotline.web.access import page
from hotline.web.redirects import local_path

ACTIONS_BY_SLUG = {api.slug: api for api in ACTION_APIS}


def visible_order_or_404(number: str, viewer) -> Order:
    try:
        return order_get(number=number, viewer=viewer)
    except Order.DoesNotExist:
        raise Http404("未找到该工单，或您无权查看") from None


def _back(request, number: str):
    target = local_path(request, request.POST.get("next"))
    return redirect(target) if target else redirect("web:order_detail", number=number)


def validation_messages(detail, prefix: str = "") -> list[str]:
    """DRF's nested error detail as flat Chinese lines."""
    if isinstance(detail, dict):
        lines = []
        for field, inner in detail.items():
            name = "" if field in ("non_field_errors", "detail") else f"{field}："
            lines += validation_messages(inner, prefix + name)
        return lines
    if isinstance(detail, list):
        return [line for item in detail for line in validation_messages(item, prefix)]
    return [f"{prefix}{detail}"]


def _without_blank_choices(api, posted):
    """A form's repeated field (co-units) may carry an empty "none chosen" value; the
    API's list fields would read it as an unknown code."""
    data = posted.copy()
    for name, field in api.Input().fields.items():
        if isinstance(field, serializers.ManyRelatedField | serializers.ListField):
            data.setlist(name, [value for value in data.getlist(name) if value.strip()])
    return data


# The actions a list may take on several orders at once: each order through its own
# use case and transaction, so a refusal of one leaves the others done. The batch's
# other fields (the agent a callback goes to) are the action's input, read once.
BATCH_SLUGS = frozenset({"sign", "callback-assign"})
BATCH_MAX = 100


def _batch_item(value: str) -> tuple[str, int | None]:
    """``number@version`` as the list showed it (the version refuses a stale order)."""
    number, _, version = value.partition("@")
    return number.strip(), int(version) if version.isdigit() else None


@page("order_action")
@require_POST
def order_batch_action(request, slug: str):
    api = ACTIONS_BY_SLUG.get(slug)
    if api is None or slug not in BATCH_SLUGS:
        raise Http404("没有这项批量操作")
    if not may(request.user.role, api.action):
        raise PermissionDenied(f"「{Role(request.user.role).label}」角色不能{api.summary}")
    items = [_batch_item(value) for value in request.POST.getlist("orders")]
    back = local_path(request, request.POST.get("next")) or "web:home"
    if not items:
        messages.error(request, f"请先勾选要{api.summary}的工单")
        return redirect(back)
    if len(items) > BATCH_MAX:
        messages.error(request, f"一次最多{api.summary} {BATCH_MAX} 件工单")
        return redirect(back)
    shared = api.Input(
        data=_without_blank_choices(api, request.POST), context={"viewer": request.user}
    )
    if not shared.is_valid():
        for line in validation_messages(shared.errors):
            messages.error(request, line)
        return redirect(back)
    fields = {k: v for k, v in shared.validated_data.items() if k != "version"}
    done = 0
    for number, version in items:
        try:
            order = visible_order_or_404(number, request.user)
            api().act(order=order, actor=request.user, expected_version=version, **fields)
        except Http404:
            messages.error(request, f"工单 {number}：未找到该工单，或您无权查看")
        except DomainError as error:
            messages.error(request, f"工单 {number}：{error.message}")
        else:
            done += 1
            messages.success(request, f"工单 {number}：{api.summary}已完成")
    messages.info(request, f"批量{api.summary}：{done} 件完成，{len(items) - done} 件未完成")
    return redirect(back)


@page("order_action")
@require_POST
def order_action(request, number: str, slug: str):
    api = ACTIONS_BY_SLUG.get(slug)
    if api is None:
        raise Http404("没有这项操作")
    if not may(request.user.role, api.action):
        raise PermissionDenied(f"「{Role(request.user.role).label}」角色不能{api.summary}")
    order = visible_order_or_404(number, request.user)
    data = api.Input(
        data=_without_blank_choices(api, request.POST), context={"viewer": request.user}
    )
    try:
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version", None)
        recorded = order.version + 1  # the event this action appends
        api().act(order=order, actor=request.user, expected_version=version, **fields)
    except ValidationError as error:
        for line in validation_messages(error.detail):
            messages.error(request, line)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"工单 {number}：{event_told(order=order, seq=recorded)}")
    return _back(request, number)
