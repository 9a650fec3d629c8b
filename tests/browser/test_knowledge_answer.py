"""Answering at intake from the knowledge base, in the browser (SPEC 3, 9): the box finds
the article while the operator types the caller's question, 「采用此答复」 records it
as the basis, and 当场答复 closes the order and counts the article's use."""

import re

import pytest

from hotline.domain.enums import Role
from hotline.knowledge import segmentation
from hotline.knowledge.models import Article
from hotline.knowledge.selectors import article_search
from hotline.knowledge.services import ArticleInput, article_create
from hotline.orders.models import Event, Order
from tests.browser.conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "社保卡丢了怎么补办"
ANSWER = "先拨打社保服务热线或到社保经办窗口挂失，再持身份证到合作银行网点补办。"


@pytest.fixture
def articles(city):
    segmentation.refresh_directory_words()
    supervisor = city.users[Role.SUPERVISOR]
    wanted = article_create(
        actor=supervisor,
        data=ArticleInput(question=QUESTION, answer=ANSWER, source="社会保障卡管理办法"),
    )
    article_create(
        actor=supervisor,
        data=ArticleInput(question="停水了怎么办", answer="先确认是否为计划停水。"),
    )
    # The first search loads the segmenter (seconds on a busy machine): done here rather
    # than within the page's wait.
    hits = article_search(viewer=city.users[Role.OPERATOR], query=QUESTION)
    assert [hit.article.pk for hit in hits][:1] == [wanted.pk]
    return wanted


def test_the_operator_answers_from_the_article_the_box_finds_while_typing(city, sign_in, articles):
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#id_phone").fill("13800000031")
    operator.locator("#id_citizen_name").fill("陈女士")
    operator.locator("#id_appeal_type").select_option(label="咨询")
    # Typed key by key, as on the phone: the box searches the content after a pause.
    operator.locator("#id_content").press_sequentially("我的社保卡丢了，想问怎么补办", delay=20)
    hit = operator.locator("#knowledge-results article.kb-hit").first
    hit.wait_for()
    assert hit.locator("h3").inner_text() == QUESTION
    assert "停水" not in operator.locator("#knowledge-results").inner_text()

    hit.get_by_role("button", name="采用此答复").click()
    reference = f"KB{articles.pk} {QUESTION}"
    assert operator.locator("#id_article").input_value() == reference
    assert hit.get_by_role("button").inner_text() == "已采用（按 F2 当场答复）"

    with operator.expect_navigation():  # F2, as the button says: the operator stays on the keys
        operator.keyboard.press("F2")

    # The page: the order just registered, answered and already closed.
    message = operator.get_by_role("status").first.inner_text()
    number = re.search(r"工单 (\d{11}) 已登记并当场答复", message).group(1)
    done = operator.locator("#intake-done").inner_text()
    assert number in done and "当场答复" in done and "已归档" in done
    # The database: closed as answered at intake, on this article, whose use is counted.
    order = Order.objects.get(number=number)
    assert (order.status, order.disposition) == ("closed", "answered")
    assert order.content == "我的社保卡丢了，想问怎么补办"
    assert Event.objects.get(order=order, type="answer").data["article"] == reference
    assert list(Event.objects.filter(order=order).values_list("type", flat=True)) == [
        "register",
        "answer",
    ]
    assert Article.objects.get(pk=articles.pk).usage_count == 1
    assert Article.objects.exclude(pk=articles.pk).get().usage_count == 0


def test_the_box_searched_by_hand_gives_the_same_answer(city, sign_in, articles):
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#id_appeal_type").select_option(label="咨询")
    operator.locator("#id_content").fill("市民咨询补办")
    operator.locator("#knowledge-q").press_sequentially("社保卡补办", delay=20)
    results = operator.locator("#knowledge-results")
    results.get_by_role("heading", name=QUESTION).wait_for()
    results.get_by_role("button", name="采用此答复").first.click()
    submit(operator, operator.get_by_role("button", name=re.compile("^当场答复")))
    assert "已登记并当场答复" in operator.get_by_role("status").first.inner_text()
    order = Order.objects.get()
    assert (order.status, order.disposition) == ("closed", "answered")
    assert Article.objects.get(pk=articles.pk).usage_count == 1
