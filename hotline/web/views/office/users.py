"""The user accounts (SPEC 1: administrator): create, change, deactivate, reactivate,
reset a password; the list through ``accounts.selectors.user_list``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from hotline.accounts import services as accounts
from hotline.accounts.models import User
from hotline.accounts.selectors import UserFilters, user_list
from hotline.directory.selectors_search import unit_options
from hotline.domain.errors import DomainError
from hotline.web.access import page
from hotline.web.forms.office import (
    UserCreateForm,
    UserFilterForm,
    UserUpdateForm,
)
from hotline.web.paging import keyset_page
from hotline.web.redirects import local_path

GET_POST = require_http_methods(["GET", "POST"])


def _back(request, default: str):
    """Back to the page the form was posted from (its filters and cursor kept)."""
    return redirect(local_path(request, request.POST.get("next")) or default)


def _user_or_404(text: str | None) -> User:
    try:
        return User.objects.select_related("unit").get(pk=int(text or ""))
    except (ValueError, User.DoesNotExist):
        raise Http404("没有这个用户") from None


def _chosen_units(form):
    """The unit a form has chosen (typed in or initial), for its picker to show checked."""
    if form is None:
        return []
    code = form["unit"].value()
    return unit_options(codes=[code]) if isinstance(code, str) and code else []


def _account_change(request, op: str):
    """Deactivate, reactivate or update one account; returns (message, new password)."""
    user = _user_or_404(request.POST.get("user"))
    name = user.first_name or user.username
    if op == "deactivate":
        accounts.user_deactivate(user=user, actor=request.user)
        return f"已停用账号：{name}", None
    if op == "reactivate":
        accounts.user_reactivate(user=user, actor=request.user)
        return f"已恢复账号：{name}", None
    if op == "reset":
        return None, (user, accounts.user_password_reset(user=user, actor=request.user))
    raise Http404("没有这项操作")


@page("users")
@GET_POST
def users(request):
    status = 200
    create = UserCreateForm(prefix="new")
    edit_form, editing = None, None
    handed_over = None  # (user, password) to show once
    if request.GET.get("edit"):
        editing = _user_or_404(request.GET.get("edit"))
        edit_form = UserUpdateForm(
            prefix="edit",
            initial={
                "full_name": editing.first_name,
                "role": editing.role,
                "unit": editing.unit.code if editing.unit else None,
            },
        )

    op = request.POST.get("op", "") if request.method == "POST" else ""
    if op == "create":
        create = UserCreateForm(request.POST, prefix="new")
        if create.is_valid():
            data = create.cleaned_data
            password = data["password"] or accounts.password_generate()
            try:
                user = accounts.user_create(
                    username=data["username"],
                    role=data["role"],
                    password=password,
                    unit=data["unit"],
                    full_name=data["full_name"],
                    actor=request.user,
                )
            except DomainError as error:
                create.add_error(None, error.message)
            else:
                messages.success(request, f"已创建用户：{user.username}")
                if data["password"]:
                    return redirect("web:users")
                handed_over = (user, password)
                create = UserCreateForm(prefix="new")
        if create.errors:
            status = 400
    elif op == "update":
        editing = _user_or_404(request.POST.get("user"))
        edit_form = UserUpdateForm(request.POST, prefix="edit")
        if edit_form.is_valid():
            data = edit_form.cleaned_data
            try:
                accounts.user_update(
                    user=editing,
                    role=data["role"],
                    unit=data["unit"],
                    full_name=data["full_name"],
                    actor=request.user,
                )
            except DomainError as error:
                edit_form.add_error(None, error.message)
            else:
                messages.success(request, f"已修改用户：{editing.username}")
                return redirect("web:users")
        status = 400
    elif op:
        try:
            done, handed_over = _account_change(request, op)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            if done:
                messages.success(request, done)
                return _back(request, reverse("web:users"))

    filters = UserFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    active = chosen.get("active")
    rows = user_list(
        filters=UserFilters(
            username_prefix=chosen.get("q") or "",
            role=chosen.get("role") or "",
            active=active == "yes" if active else None,
        )
    )
    listing = keyset_page(rows, cursor=request.GET.get("cursor"), key="username")
    context = {
        "filters": filters,
        "page": listing,
        "create": create,
        "create_units": _chosen_units(create),
        "editing": editing,
        "edit_form": edit_form,
        "edit_units": _chosen_units(edit_form),
        "handed_over": handed_over,
    }
    response = render(request, "web/office/users.html", context, status=status)
    if handed_over:
        # A password shown once must not be kept by the browser or a proxy.
        response["Cache-Control"] = "no-store"
    return response


urls = [
    path("office/users/", users, name="users"),
]
