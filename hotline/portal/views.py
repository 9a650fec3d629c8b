"""The citizen portal: no sign-in, every form with CSRF, every write rate-limited
per client address; a lookup by number and phone that cannot tell an unknown number
from a wrong phone."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hotline.attachments.services import MAX_PHOTOS
from hotline.directory.selectors_search import region_search, regions_by_code
from hotline.domain.errors import DomainError
from hotline.portal.forms import OnlineRequestForm, RatingForm, TrackForm
from hotline.portal.selectors import tracked_order, tracking
from hotline.portal.services import OnlineRequest, citizen_rate, online_request_submit
from hotline.security import ratelimit

NOT_FOUND = "未找到该工单，请核对工单编号和联系电话"
QUERY_MAX = 50
SUBMITTED_KEY = "portal_submitted"


def _limited(request, window: int):
    minutes = max(1, window // 60)
    return render(request, "portal/limited.html", {"minutes": minutes}, status=429)


def _lookup_allowed(request) -> tuple[bool, int]:
    limit, window = settings.HOTLINE_PORTAL_TRACK_LIMIT, settings.HOTLINE_PORTAL_TRACK_WINDOW
    allowed = ratelimit.allow(
        "portal-track", ratelimit.client_address(request), limit=limit, window=window
    )
    return allowed, window


@require_GET
def home(request):
    return render(request, "portal/home.html")


def _submit_page(request, form, *, status: int = 200):
    code = form["region"].value()
    code = code if isinstance(code, str) else ""
    context = {
        "form": form,
        "region_options": regions_by_code(codes=[code]),
        "region_selected": {code} - {""},
        "max_photos": MAX_PHOTOS,
    }
    return render(request, "portal/submit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def submit(request):
    form = OnlineRequestForm(request.POST or None)
    if request.method == "GET":
        return _submit_page(request, form)
    if not form.is_valid():
        return _submit_page(request, form, status=400)
    window = settings.HOTLINE_PORTAL_SUBMIT_WINDOW
    if not ratelimit.allow(
        "portal-submit",
        ratelimit.client_address(request),
        limit=settings.HOTLINE_PORTAL_SUBMIT_LIMIT,
        window=window,
    ):
        return _limited(request, window)
    data = form.cleaned_data
    try:
        order = online_request_submit(
            request=OnlineRequest(
                appeal_type=data["appeal_type"],
                content=data["content"],
                name=data["name"],
                phone=data["phone"],
                region=data["region"],
                address=data["address"].strip(),
                confidential=data["confidential"],
            ),
            photos=request.FILES.getlist("photos"),
        )
    except DomainError as refusal:
        form.add_error(None, refusal.message)
        return _submit_page(request, form, status=400)
    # Post/redirect/get: reloading the result page does not submit again.
    request.session[SUBMITTED_KEY] = order.number
    return redirect("portal:submitted")


@require_GET
def region_picker(request):
    """The region picker of the request form: public directory data, like the form's
    own choices; at most 20 matches."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    chosen = regions_by_code(codes=[request.GET.get("region", "")])
    kept = {option.code for option in chosen}
    found = [option for option in region_search(query=query) if option.code not in kept]
    context = {
        "name": "region",
        "query": query,
        "options": chosen + found,
        "selected": kept,
        "input_type": "radio",
    }
    return render(request, "web/pickers/regions.html", context)


@require_GET
def submitted(request):
    number = request.session.get(SUBMITTED_KEY)
    if not number:
        return redirect("portal:home")
    return render(request, "portal/submitted.html", {"number": number})


@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "GET":
        return render(request, "portal/track.html", {"form": form})
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form}, status=400)
    allowed, window = _lookup_allowed(request)
    if not allowed:
        return _limited(request, window)
    order = tracked_order(number=form.cleaned_data["number"], phone=form.cleaned_data["phone"])
    if order is None:
        context = {"form": form, "not_found": NOT_FOUND}
        return render(request, "portal/track.html", context, status=404)
    context = {
        "tracking": tracking(order),
        "rating": RatingForm(initial={"number": order.number, "phone": form.cleaned_data["phone"]}),
        "phone": form.cleaned_data["phone"],
    }
    return render(request, "portal/status.html", context)


@require_http_methods(["GET", "POST"])
def rate(request):
    form = RatingForm(request.POST or None)
    if request.method == "GET":
        return render(request, "portal/rate.html", {"form": form})
    if not form.is_valid():
        return render(request, "portal/rate.html", {"form": form}, status=400)
    allowed, window = _lookup_allowed(request)
    if not allowed:
        return _limited(request, window)
    data = form.cleaned_data
    order = tracked_order(number=data["number"], phone=data["phone"])
    if order is None:
        return render(request, "portal/rate.html", {"form": form, "error": NOT_FOUND}, status=404)
    try:
        citizen_rate(
            order=order,
            result=data["result"],
            comment=data["comment"],
            address=ratelimit.client_address(request),
        )
    except DomainError as refusal:
        context = {"form": form, "error": refusal.message}
        return render(request, "portal/rate.html", context, status=400)
    return render(request, "portal/rated.html", {"number": order.number})
