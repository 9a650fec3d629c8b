"""Outbound campaigns (外呼任务, SPEC 8): the office uploads a list and a script and
shares the numbers among agents; agents call and record each result and the answers;
progress, a summary and an export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotline.calls import campaigns as service
from hotline.calls.models import Campaign, CampaignTarget
from hotline.domain.errors import DomainError
from hotline.web.access import may_open, page
from hotline.web.forms.campaigns import AssignForm, CampaignForm


def _campaign_or_404(pk: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@page("campaigns")
@require_GET
def campaigns(request):
    return _list(request, CampaignForm())


@page("campaign_manage")
@require_http_methods(["GET", "POST"])
def campaign_manage(request):
    """The office's new campaign: the form (GET) and creating it (POST)."""
    form = CampaignForm()
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = service.table_rows(name=upload.name, data=upload.read())
                campaign = service.campaign_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    questions=form.cleaned_data["questions"],
                    rows=rows,
                )
            except DomainError as error:
                field = getattr(error, "field", None)
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(request, f"外呼任务「{campaign.name}」已创建")
                return redirect("web:campaign_detail", pk=campaign.pk)
        status = 400
    return _list(request, form, status=status)


def _list(request, form, *, status=200):
    context = {
        "campaigns": Campaign.objects.order_by("-created_at", "-pk")[:100],
        "form": form,
        "organiser": may_open(request.user.role, "campaign_manage"),
    }
    return render(request, "web/telephony/campaigns.html", context, status=status)


def _detail(request, campaign, *, assign=None, failed=None, error="", status=200):
    organiser = may_open(request.user.role, "campaign_manage")
    context = {
        "campaign": campaign,
        "progress": service.campaign_progress(campaign=campaign),
        "agents": service.campaign_progress_by_agent(campaign=campaign),
        "summary": service.campaign_summary(campaign=campaign),
        "mine": service.campaign_next_targets(viewer=request.user, campaign=campaign),
        "results": CampaignTarget.Result.choices,
        "assign": assign or AssignForm(),
        "organiser": organiser,
        "failed": failed,
        "error": error,
    }
    return render(request, "web/telephony/campaign.html", context, status=status)


@page("campaigns")
@require_GET
def campaign_detail(request, pk: int):
    return _detail(request, _campaign_or_404(pk))


@page("campaign_manage")
@require_POST
def campaign_assign(request, pk: int):
    campaign = _campaign_or_404(pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            count = service.campaign_assign(
                actor=request.user, campaign=campaign, agents=list(form.cleaned_data["agents"])
            )
        except DomainError as error:
            form.add_error("agents", error.message)
        else:
            messages.success(request, f"已分配 {count} 个号码")
            return redirect("web:campaign_detail", pk=campaign.pk)
    return _detail(request, campaign, assign=form, status=400)


@page("campaigns")
@require_POST
def campaign_call(request, pk: int, target: int):
    campaign = _campaign_or_404(pk)
    row = CampaignTarget.objects.filter(pk=target, campaign=campaign).first()
    if row is None:
        raise Http404
    answers = [request.POST.get(f"answer_{n}", "") for n in range(1, len(campaign.questions) + 1)]
    try:
        service.campaign_call_record(
            actor=request.user, target=row, result=request.POST.get("result", ""), answers=answers
        )
    except DomainError as error:
        return _detail(request, campaign, failed=row.pk, error=error.message, status=400)
    messages.success(request, f"已记录 {row.phone} 的外呼结果")
    return redirect("web:campaign_detail", pk=campaign.pk)


@page("campaign_manage")
@require_GET
def campaign_export(request, pk: int):
    campaign = _campaign_or_404(pk)
    response = HttpResponse(
        service.campaign_export(campaign=campaign), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}.csv"'
    return response


urls = [
    path("campaigns/", campaigns, name="campaigns"),
    path("campaigns/manage/", campaign_manage, name="campaign_manage"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/assign/", campaign_assign, name="campaign_assign"),
    path("campaigns/<int:pk>/targets/<int:target>/", campaign_call, name="campaign_call"),
    path("campaigns/<int:pk>/export/", campaign_export, name="campaign_export"),
]
