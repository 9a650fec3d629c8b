"""The audit trail (SPEC 1): sign-ins, identity reveals and the office's changes."""

from django.shortcuts import render
from django.urls import path

from hotline.audit.selectors import audit_recent
from hotline.web.access import page
from hotline.web.export import Column, wants_export, xlsx_response
from hotline.web.forms.office import AuditFilterForm
from hotline.web.paging import keyset_page, ordered

COLUMNS = [
    Column("时间", lambda r: r.at, 18),
    Column("操作人", lambda r: r.username, 14),
    Column("行为", lambda r: r.get_action_display(), 12),
    Column("工单", lambda r: r.order.number if r.order_id else "", 14),
    Column("说明", lambda r: r.detail, 40),
    Column("来源地址", lambda r: r.address or "", 16),
]


@page("audit_trail")
def audit_trail(request):
    filters = AuditFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    records = audit_recent(action=chosen.get("action", ""))
    if chosen.get("username"):
        records = records.filter(username=chosen["username"].strip())
    if wants_export(request) and not filters.errors:
        listed = ordered(records, key="at", descending=True)
        return xlsx_response(listed, columns=COLUMNS, title="审计记录")
    listing = keyset_page(records, cursor=request.GET.get("cursor"), key="at", descending=True)
    status = 400 if filters.is_bound and filters.errors else 200
    context = {"filters": filters, "page": listing}
    return render(request, "web/office/audit.html", context, status=status)


urls = [
    path("office/audit/", audit_trail, name="audit_trail"),
]
