import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_shows_the_role_menu_and_sign_out(city, sign_in):
    page = sign_in("dispatcher")
    assert page.get_by_role("navigation", name="主菜单").get_by_text("派单").is_visible()
    assert page.get_by_role("navigation", name="主菜单").get_by_text("受理登记").count() == 0
    page.get_by_role("button", name="退出").click()
    assert "您已退出登录" in page.content()


def test_wrong_password_is_told_in_chinese(city, sign_in):
    page = sign_in("dispatcher", password="not-this-one")
    assert page.get_by_role("alert").inner_text() == "用户名或密码不正确"
