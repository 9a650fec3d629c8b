"""12345–110 linkage (SPEC 3, 2026-12): the month's emergency transfers out and the
matters 110 handed over, with their figures (per service, per direction, the feedback
delivered or pending)."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.domain.deadlines import LOCAL_TZ
from hotline.linkage.selectors import handovers_in, linkage_figures, transfers_out
from hotline.web.access import page
from hotline.web.forms.linkage import DIRECTIONS, LinkageFilter
from hotline.web.paging import keyset_page


@page("linkage")
@require_GET
def linkage(request):
    today = timezone.now().astimezone(LOCAL_TZ).date()
    form = LinkageFilter(request.GET or None, today=today)
    if request.GET and not form.is_valid():
        return render(request, "web/linkage/list.html", {"form": form}, status=400)
    if not request.GET:
        form = LinkageFilter({"month": today.strftime("%Y-%m")}, today=today)
        form.is_valid()
    since, until = form.span()
    direction = form.cleaned_data["direction"]
    cursor = request.GET.get("cursor")
    if direction == "in":
        listing = keyset_page(
            handovers_in(since=since, until=until),
            cursor=cursor,
            key="received_at",
            descending=True,
        )
    else:
        listing = keyset_page(
            transfers_out(since=since, until=until), cursor=cursor, key="at", descending=True
        )
    context = {
        "form": form,
        "direction": direction,
        "directions": DIRECTIONS,
        "month": form.cleaned_data["month"],
        "figures": linkage_figures(since=since, until=until),
        "page": listing,
    }
    return render(request, "web/linkage/list.html", context)


urls = [path("linkage/", linkage, name="linkage")]
