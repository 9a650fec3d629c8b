"""The intake page's suggestions for a construction-noise call, with their reason."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_construction_noise_call_gets_its_category_first_with_the_reason(city, sign_in):
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#id_address").fill("岳塘区书院路88号")
    operator.locator("#id_content").fill("书院路工地每天夜里十二点还在施工，噪音扰民，吵得人睡不着")
    box = operator.locator(".suggestions")
    first = box.locator('[data-fill="category"]').first
    first.wait_for()
    # The small city's directory has one leaf for noise: 噪音扰民, its construction noise.
    assert first.get_attribute("data-value") == "0501"
    reason = operator.locator(".suggestion-why").inner_text()
    assert "派单目录「噪音扰民」由岳塘区主办（属地原则）" in reason
    assert "噪音" in reason
