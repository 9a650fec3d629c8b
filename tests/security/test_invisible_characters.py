"""The reply and knowledge-base forms store text as the API does: no zero-width or
bidirectional-override characters, no control characters."""

from datetime import timedelta

import pytest

from hotline.domain.enums import Role
from hotline.knowledge import segmentation
from hotline.knowledge.models import Article
from hotline.orders.models import Reply
from hotline.orders.services import dispatch, handling
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 9, 9, 0)
HIDDEN = "\u200b\u202e\ufeff\x07"


def _plain(text: str) -> bool:
    return not any(ch in text for ch in HIDDEN)


def test_a_reply_typed_on_the_page_is_stored_without_invisible_characters(
    city, signed_in, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    order = factories.register(city, T0)
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=T0
    )
    order = handling.order_sign(
        order=order, actor=city.users[Role.UNIT_HANDLER], at=T0 + timedelta(minutes=30)
    )
    client = signed_in(Role.UNIT_HANDLER)
    response = client.post(
        f"/unit/orders/{order.number}/reply/",
        {
            "text": f"已责令施工{HIDDEN}单位停止夜间作业",
            "contacted": "on",
            "resolved": "true",
            "version": order.version,
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Reply.objects.get(order=order).text == "已责令施工单位停止夜间作业"


def test_an_article_typed_on_the_page_is_stored_without_invisible_characters(city, signed_in):
    segmentation.refresh_directory_words()
    response = signed_in(Role.SUPERVISOR).post(
        "/knowledge/",
        {
            "form": "article",
            "question": f"夜间施工{HIDDEN}噪音投诉",
            "answer": f"可向住建部门{HIDDEN}投诉。",
            "source": f"《噪声污染防治法》{HIDDEN}",
        },
    )
    assert response.status_code == 302, response.content.decode()
    article = Article.objects.get()
    assert all(_plain(text) for text in (article.question, article.answer, article.source))
    assert article.question == "夜间施工噪音投诉"
