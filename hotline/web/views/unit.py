"""The unit handler's pages: the inbox with its tabs and inline actions, the sub-units'
progress, the reply with attachments, and the download of an order's attachments.

Every action except the reply posts to the shared ``order_action`` path; the reply
has its own view because it carries files (``attachments.services``).
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hotline.attachments.models import Attachment
from hotline.attachments.selectors import attachment_get, attachments_of
from hotline.attachments.services import (
    ALLOWED_TEXT,
    KINDS,
    MAX_FILES,
    reply_with_attachments,
    size_text,
)
from hotline.domain.enums import ContactOutcome, ContactWay
from hotline.domain.errors import DomainError
from hotline.orders.selectors.inbox import (
    INBOX_TABS,
    TABS_BY_NAME,
    inbox_counts,
    inbox_orders,
    inbox_units,
    sub_dispatch_units,
    sub_unit_progress,
)
from hotline.orders.selectors.sign_for import with_sign_for
from hotline.orders.selectors.supervision import supervisions_awaiting
from hotline.web.access import page
from hotline.web.export import order_export, wants_export
from hotline.web.forms.unit import ReplyForm
from hotline.web.paging import keyset_page, ordered
from hotline.web.views.order_actions import visible_order_or_404

ACCEPT = ",".join(f".{extension}" for extension in KINDS)


AWAITING_SHOWN = 50


@page("unit_inbox")
@require_GET
def unit_inbox(request):
    tab = TABS_BY_NAME.get(request.GET.get("tab", ""), INBOX_TABS[0])
    units = list(inbox_units(viewer=request.user))
    chosen = next((u for u in units if u.code == request.GET.get("sub", "")), None)
    now = timezone.now()
    rows = inbox_orders(viewer=request.user, tab=tab, now=now, sub_unit=chosen)
    if wants_export(request):
        listed = ordered(rows, key=tab.key, descending=tab.descending)
        title = f"本单位工单-{tab.label}" + (f"-{chosen.name}" if chosen else "")
        return order_export(listed, viewer=request.user, title=title, citizen=True)
    listing = keyset_page(
        rows, cursor=request.GET.get("cursor"), key=tab.key, descending=tab.descending
    )
    with_sign_for(listing.rows, now=now)
    counts = inbox_counts(viewer=request.user, now=now, sub_unit=chosen)
    context = {
        "tabs": [(t, counts[t.name]) for t in INBOX_TABS],
        "tab": tab,
        "units": units,
        "chosen": chosen,
        "page": listing,
        "sub_units": list(sub_dispatch_units(viewer=request.user)),
        "contact_ways": ContactWay.choices(),
        "contact_outcomes": ContactOutcome.choices(),
        "now": now,
        "today": timezone.localdate(now),
        # SPEC 4 (2026-12): supervisions the unit must answer, shown above every tab.
        "awaiting": list(supervisions_awaiting(viewer=request.user)[:AWAITING_SHOWN]),
    }
    return render(request, "web/unit/inbox.html", context)


@page("unit_progress")
@require_GET
def unit_progress(request):
    rows = sub_unit_progress(viewer=request.user, now=timezone.now())
    return render(request, "web/unit/progress.html", {"rows": rows})


def _reply_context(order, form, error=""):
    return {
        "order": order,
        "form": form,
        "error": error,
        "attachments": attachments_of(order=order),
        "accept": ACCEPT,
        "max_files": MAX_FILES,
        "max_size": size_text(settings.HOTLINE_ATTACHMENT_MAX_BYTES),
        "allowed": ALLOWED_TEXT,
    }


@page("unit_inbox")
@require_http_methods(["GET", "POST"])
def unit_reply(request, number: str):
    order = visible_order_or_404(number, request.user)
    if request.method == "GET":
        form = ReplyForm(initial={"version": order.version, "contacted": True})
        return render(request, "web/unit/reply.html", _reply_context(order, form))
    form = ReplyForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            reply_with_attachments(
                order=order,
                actor=request.user,
                text=form.cleaned_data["text"],
                contacted=form.cleaned_data["contacted"],
                resolved=form.cleaned_data["resolved"],
                files=request.FILES.getlist("files"),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, f"工单 {number}：答复已提交")
            return redirect(f"{reverse('web:unit_inbox')}?tab=in_progress")
    context = _reply_context(order, form, error)
    return render(request, "web/unit/reply.html", context, status=400)


@page("order_detail")
@require_GET
def attachment_download(request, number: str, pk: int):
    try:
        attachment = attachment_get(number=number, pk=pk, viewer=request.user)
    except Attachment.DoesNotExist:
        raise Http404("未找到该附件，或您无权查看") from None
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在") from None
    return FileResponse(
        content,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


urls = [
    path("unit/", unit_inbox, name="unit_inbox"),
    path("unit/progress/", unit_progress, name="unit_progress"),
    path("unit/orders/<str:number>/reply/", unit_reply, name="unit_reply"),
    path(
        "orders/<str:number>/attachments/<int:pk>/",
        attachment_download,
        name="attachment_download",
    ),
]
