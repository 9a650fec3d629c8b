"""The office's view of the background work: each job's schedule and latest run, and
the notifications sent, skipped or waiting."""

from django.shortcuts import render
from django.urls import path

from hotline.domain.masking import Identity, shown_phone
from hotline.jobs.selectors import job_overview
from hotline.notifications.outbox import CITIZEN
from hotline.notifications.selectors import notifications_recent
from hotline.web.access import page
from hotline.web.forms.background import NotificationFilterForm
from hotline.web.paging import keyset_page


@page("background_jobs")
def background_jobs(request):
    filters = NotificationFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    listing = keyset_page(
        notifications_recent(status=status),
        cursor=request.GET.get("cursor"),
        key="created_at",
        descending=True,
    )
    for notification in listing.rows:
        # The citizen's number is shown masked, as everywhere else on the staff pages.
        if notification.recipient == CITIZEN:
            notification.address = shown_phone(notification.address, Identity.MASKED)
    context = {"jobs": job_overview(), "filters": filters, "page": listing}
    status_code = 400 if filters.is_bound and filters.errors else 200
    return render(request, "web/office/background.html", context, status=status_code)


urls = [path("office/background/", background_jobs, name="background_jobs")]
