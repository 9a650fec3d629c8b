"""The three-way calls to make (SPEC 4, 2026-12): each unit's request on a confidential
order, with the logged reveal of the citizen's phone and the call's outcome, which posts
to the shared ``order_action`` path as the unit's contact."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from hotline.domain.enums import ContactOutcome
from hotline.orders.selectors.three_way import three_way_waiting
from hotline.web.access import page

SHOWN = 200


@page("three_way_calls")
@require_GET
def three_way_calls(request):
    context = {
        "requests": list(three_way_waiting(viewer=request.user)[:SHOWN]),
        "contact_outcomes": ContactOutcome.choices(),
    }
    return render(request, "web/three_way/list.html", context)


urls = [path("three-way/", three_way_calls, name="three_way_calls")]
