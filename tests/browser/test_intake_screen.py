"""The intake screen at 1366×768, the common office monitor, with the keyboard only: a
call answered from the knowledge base, another dispatched with the suggestions. Every
outcome key stays in sight without scrolling."""

import re

import pytest
from playwright.sync_api import expect

from hotline.assistance.live import current_engine
from hotline.domain.enums import Role
from hotline.knowledge.models import Article
from hotline.knowledge.services import ArticleInput, article_create
from hotline.orders.models import Event, Order
from tests.browser.conftest import screenshot
from tests.browser.test_knowledge_answer import QUESTION, articles  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

OFFICE_SCREEN = {"width": 1366, "height": 768}
OUTCOME_KEYS = ("当场答复", "转派", "不予受理", "骚扰来电", "无效来电")
NOISE_CALL = "书院路工地每天夜里十二点还在施工，噪音扰民，吵得人睡不着"


@pytest.fixture
def suggestions_ready(city):
    # The first suggestion loads the segmenter (seconds on a busy machine): done here
    # rather than within the page's wait.
    assert current_engine().suggest(NOISE_CALL, "").categories


def focused(page) -> str:
    """The focused field's id or name, or the field a focused suggestion fills."""
    return page.evaluate("(e => e.id || e.name || e.dataset.fill || '')(document.activeElement)")


def press_until(page, key: str, wanted: str, *, limit: int = 20) -> None:
    """Presses ``key`` until ``wanted`` (as ``focused`` names it) has the focus."""
    for _ in range(limit):
        if focused(page) == wanted:
            return
        page.keyboard.press(key)
    assert focused(page) == wanted


def choose(page, label: str) -> None:
    """Picks an option of the focused select with the arrow keys."""
    for _ in range(12):
        if page.evaluate("document.activeElement.selectedOptions[0].label") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label}")


def outcome_keys_in_sight(
    page, height: int = OFFICE_SCREEN["height"], keys: tuple[str, ...] = OUTCOME_KEYS
) -> None:
    assert page.evaluate("window.scrollY") == 0
    for name in keys:
        box = page.get_by_role("button", name=re.compile(f"^{name}")).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, name


def intake_at_office_size(sign_in):
    operator = sign_in("operator")
    operator.set_viewport_size(OFFICE_SCREEN)
    operator.goto("/intake/")
    return operator


def take_caller(page, phone: str, name: str) -> None:
    assert focused(page) == "id_phone"  # the page starts on the phone box
    page.keyboard.type(phone)
    page.keyboard.press("Enter")
    assert focused(page) == "id_citizen_name"
    page.keyboard.type(name)


def test_a_call_answered_from_the_knowledge_base_with_the_keys_only(city, sign_in, articles):  # noqa: F811
    for n in range(12):  # many answers: they scroll in their panel, the page does not grow
        article_create(
            actor=city.users[Role.SUPERVISOR],
            data=ArticleInput(question=f"社保卡第{n + 1}类问题", answer="社保卡相关答复。" * 20),
        )
    operator = intake_at_office_size(sign_in)
    outcome_keys_in_sight(operator)
    take_caller(operator, "13800000031", "陈女士")
    press_until(operator, "Enter", "id_appeal_type")
    choose(operator, "咨询")
    press_until(operator, "Enter", "id_content")
    operator.keyboard.type("我的社保卡丢了，想问怎么补办", delay=20)
    # The box searches the content; its answers scroll inside their own panel.
    operator.locator("#knowledge-results article.kb-hit").nth(5).wait_for()
    assert operator.evaluate("document.documentElement.scrollHeight") <= OFFICE_SCREEN["height"]
    operator.keyboard.press("Alt+k")
    assert focused(operator) == "knowledge-q"
    operator.keyboard.press("ArrowDown")
    operator.keyboard.press("1")  # the first answer
    reference = f"KB{articles.pk} {QUESTION}"
    assert operator.locator("#id_article").input_value() == reference
    outcome_keys_in_sight(operator)
    screenshot(operator, "intake-1366x768")

    with operator.expect_navigation():
        operator.keyboard.press("F2")
    message = operator.get_by_role("status").first.inner_text()
    number = re.search(r"工单 (\d{11}) 已登记并当场答复", message).group(1)
    order = Order.objects.get(number=number)
    assert (order.status, order.disposition) == ("closed", "answered")
    assert Event.objects.get(order=order, type="answer").data["article"] == reference
    assert Article.objects.get(pk=articles.pk).usage_count == 1
    # The next call starts on the phone box, the keys still in sight.
    assert focused(operator) == "id_phone"
    outcome_keys_in_sight(operator)


def test_a_call_dispatched_with_the_suggestions_with_the_keys_only(
    city, sign_in, suggestions_ready
):
    operator = intake_at_office_size(sign_in)
    take_caller(operator, "13800000032", "周先生")
    press_until(operator, "Enter", "id_appeal_type")
    choose(operator, "投诉")
    press_until(operator, "Enter", "id_content")
    operator.keyboard.type(NOISE_CALL, delay=10)
    suggestions = operator.locator("#intake-suggestions")
    # The box may first answer for part of the text and be drawn again for the rest; an
    # operator reads it once it has settled, and so does this test before moving into it.
    first_category = suggestions.locator('[data-fill="category"]').first
    expect(first_category).to_have_attribute("data-value", "0501", timeout=30_000)
    first_region = suggestions.locator('[data-fill="region"]').first
    expect(first_region).to_have_attribute("data-value", city.street.code, timeout=30_000)

    operator.keyboard.press("Alt+s")
    press_until(operator, "ArrowDown", "category")
    operator.keyboard.press("1")  # the likeliest category
    press_until(operator, "ArrowDown", "region")
    operator.keyboard.press("1")  # the likeliest region
    category = operator.locator('#category-options input[value="0501"]')
    region = operator.locator(f'#region-options input[value="{city.street.code}"]')
    # Picking fills the options by a request of its own: wait until it has checked them.
    expect(category).to_be_checked()
    expect(region).to_be_checked()
    outcome_keys_in_sight(operator)

    with operator.expect_navigation():
        operator.keyboard.press("F4")
    # The dispatch step: the catalogue's lead, confirmed with the same key.
    assert "派单目录建议：主办单位 岳塘区" in operator.locator("#dispatch-step").inner_text()
    # The step fits on the screen too: its keys and the other outcomes, no scrolling.
    step_keys = ("确认转派", "交派单员派单", "当场答复", "不予受理", "骚扰来电", "无效来电")
    outcome_keys_in_sight(operator, keys=step_keys)
    with operator.expect_navigation():
        operator.keyboard.press("F4")
    assert "已登记并转派至「岳塘区」" in operator.get_by_role("status").first.inner_text()
    order = Order.objects.get(citizen__phone="13800000032")
    assert (order.status, order.lead_unit, order.category.code, order.region) == (
        "dispatched",
        city.district,
        "0501",
        city.street,
    )


def test_enter_in_the_category_picker_takes_the_leaf_never_its_parent(city, sign_in):
    operator = intake_at_office_size(sign_in)
    operator.keyboard.press("Alt+c")
    operator.keyboard.type("05")  # 生态环境 (a branch) first, then its leaf 噪音扰民
    operator.locator('#category-options input[value="0501"]').wait_for()
    operator.keyboard.press("Enter")
    assert operator.locator('#category-options input[value="0501"]').is_checked()
    assert not operator.locator('#category-options input[value="05"]').is_checked()
    # A branch highlighted with the arrows: Enter goes on to the leaf after it.
    operator.keyboard.press("ArrowUp")
    assert operator.locator('#category-options input[value="05"]').is_checked()
    operator.keyboard.press("Enter")
    assert operator.locator('#category-options input[value="0501"]').is_checked()


@pytest.mark.parametrize("size", [OFFICE_SCREEN, {"width": 1920, "height": 1080}])
def test_the_outcome_keys_are_in_sight_on_both_office_screens(city, sign_in, size):
    operator = sign_in("operator")
    operator.set_viewport_size(size)
    operator.goto("/intake/")
    outcome_keys_in_sight(operator, size["height"])


def test_the_deputy_level_appears_with_the_deputies_line_only(city, sign_in):
    operator = intake_at_office_size(sign_in)
    level = operator.locator("#id_deputy_level")
    assert not level.is_visible()
    operator.select_option("#id_channel", "npc_deputy_line")
    level.wait_for(state="visible")
    level.select_option("county")
    operator.select_option("#id_channel", "phone")
    level.wait_for(state="hidden")
    # Hidden, the level picked before is not sent with the phone call.
    assert level.is_disabled()
