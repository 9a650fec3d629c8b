"""The order detail page (fields, assignments, side records, the full timeline and the
actions the viewer may take now) and the order search. Both read through the viewer's
selectors: another unit's order is a 404 by URL and absent from the search."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.attachments.selectors import reply_files
from hotline.domain.enums import (
    AppealType,
    CallbackResult,
    ContactOutcome,
    ContactWay,
    RejectReason,
    Role,
    Solved,
    Status,
    SupervisionLevel,
)
from hotline.domain.masking import PHONE_SEARCH_REFUSED, SEES_IDENTITY, may_search_by_phone
from hotline.orders.models import Order
from hotline.orders.selectors.action_panel import action_panel
from hotline.orders.selectors.detail import order_detail
from hotline.orders.selectors.search import (
    SearchFilters,
    category_subtree,
    order_search,
    region_subtree,
    unit_choices,
    unit_find,
)
from hotline.web.access import page
from hotline.web.paging import keyset_page

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
        "order": detail.order,
        "state": detail.state,
        "panel": panel,
        "actions": set(panel.actions),
        "sees_identity": request.user.role in SEES_IDENTITY,
        "assigning": ASSIGNING,
        "reject_reasons": RejectReason.choices(),
        "callback_results": CallbackResult.choices(),
        "supervision_levels": SupervisionLevel.choices(),
        "solved_choices": Solved.choices(),
        "contact_ways": ContactWay.choices(),
        "contact_outcomes": ContactOutcome.choices(),
        "now": timezone.now(),
    }
    return render(request, "web/orders/detail.html", context)


# --- search ---------------------------------------------------------------------------


def _blank(vocabulary) -> list[tuple[str, str]]:
    return [("", "全部"), *vocabulary.choices()]


class OrderSearchForm(forms.Form):
    number = forms.CharField(label="工单编号", max_length=20, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    status = forms.ChoiceField(label="状态", choices=_blank(Status), required=False)
    appeal_type = forms.ChoiceField(label="诉求类型", choices=_blank(AppealType), required=False)
    category = forms.CharField(
        label="事项分类", max_length=100, required=False, help_text="编码或名称，含下级分类"
    )
    region = forms.CharField(
        label="区域", max_length=100, required=False, help_text="编码或名称，含下级区划"
    )
    lead_unit = forms.CharField(
        label="主办单位",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-names"}),
        help_text="编码或名称",
    )
    received_from = forms.DateField(
        label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if not may_search_by_phone(role):
            del self.fields["phone"]

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not (number.isascii() and number.isdigit()):
            raise forms.ValidationError("工单编号只能是数字")
        return number

    def clean_phone(self):
        phone = "".join(self.cleaned_data["phone"].split()).replace("-", "")
        if phone and not (phone.isascii() and phone.isdigit()):
            raise forms.ValidationError("联系电话只能是数字")
        return phone

    def clean_category(self):
        return self._subtree("category", category_subtree, "事项分类")

    def clean_region(self):
        return self._subtree("region", region_subtree, "区域")

    def _subtree(self, name: str, find, what: str):
        text = self.cleaned_data[name].strip()
        if not text:
            return None
        ids = find(text)
        if not ids:
            raise forms.ValidationError(f"未找到{what}「{text}」")
        return ids

    def clean_lead_unit(self):
        text = self.cleaned_data["lead_unit"].strip()
        if not text:
            return None
        unit = unit_find(text)
        if unit is None:
            raise forms.ValidationError(f"未找到单位「{text}」")
        return unit

    def clean(self):
        data = super().clean()
        if "phone" not in self.fields:
            if self.data.get("phone", "").strip():
                raise forms.ValidationError(PHONE_SEARCH_REFUSED)
            data["phone"] = ""
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "结束日期不能早于开始日期")
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            number=data["number"],
            phone=data["phone"],
            status=data["status"],
            appeal_type=data["appeal_type"],
            category_ids=data["category"],
            region_ids=data["region"],
            lead_unit_id=data["lead_unit"].pk if data["lead_unit"] else None,
            received_from=data["received_from"],
            received_to=data["received_to"],
        )


@page("order_search")
@require_GET
def order_search_page(request):
    form = OrderSearchForm(request.GET or None, role=request.user.role)
    page_rows = None
    status = 200
    if not request.GET or form.is_valid():
        filters = form.filters() if request.GET else SearchFilters()
        rows = order_search(viewer=request.user, filters=filters)
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
