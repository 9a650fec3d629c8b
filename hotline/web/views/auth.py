"""Signing in and out, and changing one's password."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hotline.audit.models import AuditRecord
from hotline.audit.services import audit_record
from hotline.security.ratelimit import client_address
from hotline.web import throttle
from hotline.web.access import page
from hotline.web.redirects import local_path


def _next(request) -> str:
    return local_path(request, request.POST.get("next") or request.GET.get("next")) or "web:home"


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.method == "GET":
        if request.user.is_authenticated:
            return redirect("web:home")
        return render(request, "web/auth/login.html", {"next": request.GET.get("next", "")})
    username = request.POST.get("username", "").strip()
    password = request.POST.get("password", "")
    address = client_address(request)
    error = ""
    refusal = throttle.refusal(username, address)
    if refusal:
        error = refusal
        audit_record(action=AuditRecord.Action.LOGIN_LOCKED, username=username, address=address)
    elif not username or not password:
        error = "请输入用户名和密码"
    else:
        user = authenticate(request, username=username, password=password)
        if user is None:
            throttle.failed(username, address)
            audit_record(action=AuditRecord.Action.LOGIN_FAILED, username=username, address=address)
            error = "用户名或密码不正确"
        else:
            throttle.succeeded(username, address)
            login(request, user)
            audit_record(action=AuditRecord.Action.LOGIN, actor=user, address=address)
            return redirect(_next(request))
    context = {"error": error, "username": username, "next": request.POST.get("next", "")}
    return render(request, "web/auth/login.html", context, status=400 if error else 200)


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, "您已退出登录")
    return redirect("web:login")


@page("password_change")
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit_record(
            action=AuditRecord.Action.PASSWORD_CHANGE, actor=user, address=client_address(request)
        )
        messages.success(request, "密码已修改")
        return redirect("web:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "web/auth/password_change.html", {"form": form}, status=status)
