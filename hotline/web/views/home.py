"""The start page: each role lands on the page its day starts with."""

from django.shortcuts import redirect

from hotline.web.access import LANDING, page


@page("home")
def home(request):
    return redirect(f"web:{LANDING[request.user.role]}")
