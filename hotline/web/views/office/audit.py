"""The audit trail (SPEC 1): sign-ins, identity reveals and the office's changes."""

from django.shortcuts import render
from django.urls import path

from hotline.audit.selectors import audit_recent
from hotline.web.access import page
from hotline.web.forms.office import AuditFilterForm
from hotline.web.paging import keyset_page


@page("audit_trail")
def audit_trail(request):
    filters = AuditFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    records = audit_recent(action=chosen.get("action", ""))
    if chosen.get("username"):
        records = records.filter(username=chosen["username"].strip())
    listing = keyset_page(records, cursor=request.GET.get("cursor"), key="at", descending=True)
    status = 400 if filters.is_bound and filters.errors else 200
    context = {"filters": filters, "page": listing}
    return render(request, "web/office/audit.html", context, status=status)


urls = [
    path("office/audit/", audit_trail, name="audit_trail"),
]
