import pytest
from django.urls import reverse

from hotline.audit.models import AuditRecord
from hotline.domain.enums import Role

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_sign_in_lands_on_the_role_page(client, city):
    response = post_login(client, "operator", "pass-for-tests-1")
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("web:intake")
    assert AuditRecord.objects.filter(action="login", username="operator").count() == 1


def test_wrong_password_is_refused_in_chinese_and_logged(client, city):
    response = post_login(client, "operator", "wrong")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditRecord.objects.filter(action="login_failed", username="operator").exists()


def test_repeated_failures_lock_the_name_even_with_the_right_password(client, city, settings):
    settings.HOTLINE_LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        post_login(client, "operator", "wrong")
    response = post_login(client, "operator", "pass-for-tests-1")
    assert response.status_code == 400
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another name from the same address is not locked.
    assert post_login(client, "dispatcher", "pass-for-tests-1").status_code == 302


def test_pages_need_sign_in(client, city):
    response = client.get(reverse("web:intake"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_sign_out_needs_post_and_ends_the_session(signed_in):
    client = signed_in(Role.OPERATOR)
    assert client.get(reverse("web:logout")).status_code == 405
    client.post(reverse("web:logout"))
    assert "_auth_user_id" not in client.session


def test_password_change(signed_in, city):
    client = signed_in(Role.DISPATCHER)
    bad = client.post(
        reverse("web:password_change"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "y"},
    )
    assert bad.status_code == 400
    good = client.post(
        reverse("web:password_change"),
        {
            "old_password": "pass-for-tests-1",
            "new_password1": "Xiangtan-12345-new",
            "new_password2": "Xiangtan-12345-new",
        },
    )
    assert good.status_code == 302
    city.users[Role.DISPATCHER].refresh_from_db()
    assert city.users[Role.DISPATCHER].check_password("Xiangtan-12345-new")


def test_pages_carry_security_headers(client, city):
    response = client.get(reverse("web:login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
