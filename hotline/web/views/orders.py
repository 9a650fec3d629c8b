"""The order detail page (fields, assignments, side records, the full timeline and the
actions the viewer may take now) and the order search. Both read through the viewer's
selectors: another unit's order is a 404 by URL and absent from the search."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.attachments.selectors import reply_files
from hotline.directory.selectors_search import region_groups
from hotline.domain.enums import (
    AppealType,
    CallbackResult,
    ContactOutcome,
    ContactWay,
    CorrectionField,
    EmergencyService,
    RejectReason,
    Role,
    Solved,
    SupervisionLevel,
    Urgency,
)
from hotline.domain.masking import reveal_for
from hotline.orders.models import Order
from hotline.orders.selectors.action_panel import action_panel
from hotline.orders.selectors.detail import order_detail
from hotline.orders.selectors.search import (
    SearchFilters,
    order_search,
    unit_choices,
)
from hotline.web.access import page
from hotline.web.export import order_export, wants_export
from hotline.web.forms.orders import OrderSearchForm
from hotline.web.paging import keyset_page, ordered

# --- detail ---------------------------------------------------------------------------

# The actions that name a lead and co-units: (URL slug, action name, title).
ASSIGNING = [
    ("dispatch", "dispatch", "转办"),
    ("redispatch", "redispatch", "改派"),
    ("designate", "designate", "指定承办"),
    ("return-review", "return_review", "退单审核"),
]


@page("order_detail")
@require_GET
def order_detail_page(request, number: str):
    try:
        detail = order_detail(number=number, viewer=request.user)
    except Order.DoesNotExist:
        raise Http404("未找到该工单，或您无权查看") from None
    panel = action_panel(detail=detail, viewer=request.user)
    files = reply_files(order=detail.order)
    context = {
        "detail": detail,
        "replies": [(reply, files.by_reply.get(reply.pk, [])) for reply in detail.replies],
        "loose_attachments": files.loose,
        "citizen_photos": files.citizen,
        "order": detail.order,
        "state": detail.state,
        "panel": panel,
        "actions": set(panel.actions),
        "reveal": reveal_for(request.user.role, confidential=detail.order.confidential),
        "assigning": ASSIGNING,
        "reject_reasons": RejectReason.choices(),
        "emergency_services": EmergencyService.choices(),
        "callback_results": CallbackResult.choices(),
        "supervision_levels": SupervisionLevel.choices(),
        "solved_choices": Solved.choices(),
        "contact_ways": ContactWay.choices(),
        "contact_outcomes": ContactOutcome.choices(),
        "now": timezone.now(),
    }
    if "correct" in context["actions"]:
        context.update(
            correction_fields=CorrectionField.choices(),
            appeal_types=AppealType.choices(),
            urgencies=Urgency.choices(),
            region_groups=region_groups(),
        )
    return render(request, "web/orders/detail.html", context)


# --- search ---------------------------------------------------------------------------


@page("order_search")
@require_GET
def order_search_page(request):
    form = OrderSearchForm(request.GET or None, role=request.user.role)
    page_rows = None
    status = 200
    if not request.GET or form.is_valid():
        filters = form.filters() if request.GET else SearchFilters()
        rows = order_search(viewer=request.user, filters=filters)
        if wants_export(request):
            listed = ordered(rows, key="received_at", descending=True)
            return order_export(listed, viewer=request.user, title="工单查询")
        page_rows = keyset_page(
            rows, cursor=request.GET.get("cursor"), key="received_at", descending=True
        )
    else:
        status = 400
    context = {
        "form": form,
        "page": page_rows,
        "unit_viewer": request.user.role == Role.UNIT_HANDLER,
        "units": unit_choices(),
    }
    return render(request, "web/orders/search.html", context, status=status)


urls = [
    path("orders/", order_search_page, name="order_search"),
    path("orders/<str:number>/", order_detail_page, name="order_detail"),
]
