"""The knowledge pages and the intake box: who sees and edits what, and the answer at
intake recording the article it used."""

import pytest

from hotline.domain.enums import Role
from hotline.knowledge.models import Article
from hotline.orders.models import Event, Order

ARTICLES = "/knowledge/"
REVIEW = "/knowledge/review/"
SEARCH = "/intake/knowledge/"
INTAKE = "/intake/"


@pytest.fixture
def client_as(client, kb):
    def sign_in(role):
        client.force_login(kb.users[role])
        return client

    return sign_in


def article_form(**fields):
    data = {"form": "article", "question": "夜间施工噪音投诉", "answer": "可向住建部门投诉。"}
    data.update(fields)
    return data


def test_operator_searches_but_does_not_edit(client_as, publish):
    publish("停水怎么办", "先确认是否为计划停水。", source="供水服务规范")
    client = client_as(Role.OPERATOR)
    response = client.get(SEARCH, {"q": "停水"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "停水怎么办" in html and "先确认是否为计划停水。" in html
    assert "来源：供水服务规范" in html and "采用此答复" in html
    assert client.get(ARTICLES).status_code == 403
    assert client.post(ARTICLES, article_form()).status_code == 403
    assert client.get(REVIEW).status_code == 403
    assert not Article.objects.exclude(question="停水怎么办").exists()


def test_the_box_searches_the_content_when_empty(client_as, publish):
    publish("路灯不亮找谁修", "请报修。")
    html = client_as(Role.OPERATOR).get(SEARCH, {"q": "", "content": "我家门口路灯不亮好几天了"})
    assert "路灯不亮找谁修" in html.content.decode()
    empty = client_as(Role.OPERATOR).get(SEARCH, {"q": "火星移民"}).content.decode()
    assert "知识库暂无匹配条目" in empty


def test_unit_handler_sees_and_edits_only_its_own_units_articles(client_as, kb, publish):
    own = publish("岳塘区的条目", "答复一", owner_unit=kb.district)
    other = publish("雨湖区的条目", "答复二", owner_unit=kb.other_district)
    client = client_as(Role.UNIT_HANDLER)
    html = client.get(ARTICLES).content.decode()
    assert "岳塘区的条目" in html and "雨湖区的条目" not in html
    assert client.get(ARTICLES, {"edit": other.pk}).status_code == 404
    response = client.post(ARTICLES, article_form(article=other.pk))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.answer == "答复二"

    response = client.post(ARTICLES, article_form(article=own.pk, answer="新的答复"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "pending" and own.answer == "新的答复" and own.owner_unit == kb.district
    assert client.post(REVIEW, {"article": own.pk, "decision": "approve"}).status_code == 403
    assert client.post(ARTICLES, {"form": "synonyms", "synonyms": "a b"}).status_code == 403


def test_unit_handler_creates_an_article_for_review_and_the_office_approves(client_as, kb):
    client = client_as(Role.UNIT_HANDLER)
    response = client.post(ARTICLES, article_form(owner_unit="U-YH"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == "pending" and article.owner_unit == kb.district
    operator_search = client_as(Role.OPERATOR).get(SEARCH, {"q": "施工噪音"}).content.decode()
    assert "知识库暂无匹配条目" in operator_search

    supervisor = client_as(Role.SUPERVISOR)
    assert "夜间施工噪音投诉" in supervisor.get(REVIEW).content.decode()
    response = supervisor.post(REVIEW, {"article": article.pk, "decision": "reject"})
    assert response.status_code == 400
    assert "退回时请填写退回理由" in response.content.decode()
    response = supervisor.post(REVIEW, {"article": article.pk, "decision": "approve"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "approved"
    found = client_as(Role.OPERATOR).get(SEARCH, {"q": "施工噪音"}).content.decode()
    assert "夜间施工噪音投诉" in found


def test_supervisor_publishes_directly_and_sees_bad_input(client_as, kb):
    client = client_as(Role.SUPERVISOR)
    response = client.post(ARTICLES, article_form(question="", valid_to="不是日期"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写问题" in html and "日期格式不对" in html
    response = client.post(ARTICLES, article_form(valid_from="2026-03-02", valid_to="2026-03-01"))
    assert response.status_code == 400
    assert "有效期止不能早于有效期起" in response.content.decode()
    assert not Article.objects.exists()
    response = client.post(ARTICLES, article_form(owner_unit="U-YH", category="0501"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == "approved" and article.owner_unit == kb.other_district
    html = client.get(ARTICLES).content.decode()
    assert "夜间施工噪音投诉" in html and "已发布" in html


def test_supervisor_edits_synonyms(client_as, publish):
    publish("医疗保险报销需要什么材料", "出院时直接结算。")
    client = client_as(Role.SUPERVISOR)
    bad = client.post(ARTICLES, {"form": "synonyms", "synonyms": "医保 医疗保险\n医保 医疗保障"})
    assert bad.status_code == 400
    assert "第 2 行：「医保」已在第 1 行的同义词组中" in bad.content.decode()
    ok = client.post(ARTICLES, {"form": "synonyms", "synonyms": "医保 医疗保险"})
    assert ok.status_code == 302
    found = client_as(Role.OPERATOR).get(SEARCH, {"q": "医保"}).content.decode()
    assert "医疗保险报销需要什么材料" in found


def test_stale_filter_lists_articles_due_for_review(client_as, publish):
    from datetime import timedelta

    from django.utils import timezone

    publish("很久没更新", "内容", at=timezone.now() - timedelta(days=400))
    publish("刚更新", "内容")
    html = client_as(Role.SUPERVISOR).get(ARTICLES, {"stale": "1"}).content.decode()
    assert "很久没更新" in html and "超过 365 天未更新" in html and "刚更新" not in html


def intake_call(**fields):
    data = {
        "phone": "13800000001",
        "citizen_name": "李先生",
        "citizen_kind": "urban",
        "channel": "phone",
        "appeal_type": "consult",
        "content": "社保卡丢了怎么补办",
        "action": "answer",
    }
    data.update(fields)
    return data


def test_answer_at_intake_from_an_article_counts_its_use(client_as, publish):
    article = publish("社保卡丢了怎么办", "先挂失再补办。")
    client = client_as(Role.OPERATOR)
    html = client.get(SEARCH, {"q": "社保卡丢了"}).content.decode()
    reference = f"KB{article.pk} 社保卡丢了怎么办"
    assert f'data-article-ref="{reference}"' in html
    response = client.post(INTAKE, intake_call(article=reference))
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.status == "closed" and order.disposition == "answered"
    assert Event.objects.get(order=order, type="answer").data["article"] == reference
    article.refresh_from_db()
    assert article.usage_count == 1
    client.post(INTAKE, intake_call(article="口头答复，未用知识库"))
    article.refresh_from_db()
    assert article.usage_count == 1
    assert Order.objects.count() == 2


def test_a_refused_answer_counts_nothing(client_as, publish):
    article = publish("社保卡丢了怎么办", "先挂失再补办。")
    client = client_as(Role.OPERATOR)
    response = client.post(
        INTAKE, intake_call(article=f"KB{article.pk} 社保卡丢了怎么办", content="", appeal_type="")
    )
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.usage_count == 0
    assert not Order.objects.exists()
