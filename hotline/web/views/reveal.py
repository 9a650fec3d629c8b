"""The logged reveal of a citizen's full name and phone (SPEC 6: every reveal is logged).

Pages show the identity masked; a role whose work is talking to the citizen presses
「显示号码」, which posts here with the purpose (e.g. 回访) and swaps in the full
identity. The audit record is written by ``audit.services.identity_reveal``.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from hotline.audit import services as audit
from hotline.domain.permissions import NotPermitted
from hotline.web.access import page
from hotline.web.views.order_actions import visible_order_or_404

PURPOSE_MAX = 200


@page("identity_reveal")
@require_POST
def identity_reveal(request, number: str):
    order = visible_order_or_404(number, request.user)
    purpose = request.POST.get("purpose", "").strip()[:PURPOSE_MAX]
    template = "web/reveal/identity.html" if request.htmx else "web/reveal/page.html"
    if not purpose:
        context = {"order": order, "error": "请说明查看市民信息的原因"}
        return render(request, template, context, status=400)
    try:
        identity = audit.identity_reveal(
            order=order,
            actor=request.user,
            purpose=purpose,
            address=request.META.get("REMOTE_ADDR") or None,
        )
    except NotPermitted as refusal:
        raise PermissionDenied(refusal.message) from None
    return render(request, template, {"order": order, "identity": identity})


urls = [
    path("orders/<str:number>/reveal/", identity_reveal, name="identity_reveal"),
]
