"""The search over the index, on the database: ranking, synonyms, review, validity."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hotline.domain import knowledge_search as rules
from hotline.domain.enums import Role
from hotline.knowledge import services
from hotline.knowledge.models import Article, IndexStats, Posting
from hotline.knowledge.selectors import article_search, corpus_stats
from hotline.knowledge.services import ArticleInput
from tests.conftest import local


def questions(hits):
    return [h.article.question for h in hits]


def test_bm25_ranking_order_and_scores_match_the_rules(kb, publish):
    a = publish("停水怎么办", "停水时请先确认是否为计划停水，停水通知会提前发布。")
    b = publish("水费怎么交", "水费可以在营业厅缴纳。遇到停水可报修。")
    publish("停电怎么办", "停电时先检查空气开关。")
    operator = kb.users[Role.OPERATOR]
    hits = article_search(viewer=operator, query="停水")
    assert questions(hits) == ["停水怎么办", "水费怎么交"]
    stats = corpus_stats()
    assert stats.documents == 3
    weighted = rules.term_weights({"停水": 1.0}, {"停水": 2}, stats)
    for hit, article in zip(hits, (a, b), strict=True):
        counts = services.article_terms(article.question, article.answer)
        expected = rules.bm25(
            {"停水": counts["停水"]},
            length=sum(counts.values()),
            weighted_idf=weighted,
            stats=stats,
        )
        assert hit.score == pytest.approx(expected)


def test_search_finds_articles_by_place_names_kept_whole(kb, publish):
    publish("书院路街道的路灯归谁管", "书院路街道辖区的路灯由路灯管理单位维修。")
    publish("路灯不亮", "路灯不亮请报修。")
    hits = article_search(viewer=kb.users[Role.OPERATOR], query="书院路街道")
    assert questions(hits) == ["书院路街道的路灯归谁管"]


def test_synonyms_widen_the_results(kb, publish):
    publish("医疗保险报销需要什么材料", "住院费用可在出院时直接结算。")
    publish("住房公积金怎么提取", "购房、租房可按规定提取。")
    operator = kb.users[Role.OPERATOR]
    assert article_search(viewer=operator, query="医保") == []
    services.synonyms_replace(
        actor=kb.users[Role.SUPERVISOR], text="医保 医疗保险\n公积金 住房公积金"
    )
    assert questions(article_search(viewer=operator, query="医保")) == ["医疗保险报销需要什么材料"]
    assert questions(article_search(viewer=operator, query="公积金")) == ["住房公积金怎么提取"]


def test_only_the_office_edits_synonyms(kb):
    with pytest.raises(rules.ArticleNotPermitted):
        services.synonyms_replace(actor=kb.users[Role.UNIT_HANDLER], text="医保 医疗保险")


def test_unit_edit_goes_to_review_approval_publishes_rejection_does_not(kb):
    handler = kb.users[Role.UNIT_HANDLER]
    operator = kb.users[Role.OPERATOR]
    supervisor = kb.users[Role.SUPERVISOR]
    article = services.article_create(
        actor=handler, data=ArticleInput(question="夜间施工噪音投诉", answer="可向住建部门投诉。")
    )
    assert article.status == Article.Status.PENDING
    assert article.owner_unit == kb.district
    assert article_search(viewer=operator, query="施工噪音") == []
    services.article_review(actor=supervisor, article=article, approve=True)
    assert questions(article_search(viewer=operator, query="施工噪音")) == ["夜间施工噪音投诉"]

    # the unit changes it again: out of search until the office decides
    article = services.article_update(
        actor=handler,
        article=article,
        data=ArticleInput(question="夜间施工噪音投诉", answer="请向生态环境部门投诉。"),
    )
    assert article.status == Article.Status.PENDING
    assert article_search(viewer=operator, query="施工噪音") == []
    with pytest.raises(rules.ReviewRefused, match="退回时请填写退回理由"):
        services.article_review(actor=supervisor, article=article, approve=False)
    services.article_review(actor=supervisor, article=article, approve=False, note="部门不对")
    article.refresh_from_db()
    assert article.status == Article.Status.REJECTED and article.review_note == "部门不对"
    assert article_search(viewer=operator, query="施工噪音") == []
    assert not Posting.objects.filter(article=article).exists()
    assert IndexStats.objects.get().documents == 0


def test_unit_saves_a_draft_and_cannot_touch_another_units_article(kb, publish):
    handler = kb.users[Role.UNIT_HANDLER]
    draft = services.article_create(
        actor=handler, data=ArticleInput(question="草稿", answer="内容"), submit=False
    )
    assert draft.status == Article.Status.DRAFT
    other = publish("雨湖区的条目", "答复", owner_unit=kb.other_district)
    with pytest.raises(rules.ArticleNotPermitted, match="只能编辑本单位"):
        services.article_update(
            actor=handler, article=other, data=ArticleInput(question="改", answer="改")
        )
    with pytest.raises(rules.ReviewRefused, match="不在待审核状态"):
        services.article_review(actor=kb.users[Role.SUPERVISOR], article=draft, approve=True)


def test_expired_articles_are_flagged_and_ranked_after_valid_ones(kb, publish):
    today = timezone.localdate()
    expired = publish(
        "城乡居民医保缴费标准",
        "医保缴费标准：医保 缴费 医保 缴费",
        valid_to=today - timedelta(days=1),
    )
    valid = publish(
        "居民参保怎么办理",
        "可在线上办理居民医保参保，办理渠道包括线上和窗口。",
        valid_to=today + timedelta(days=30),
    )
    publish("停电怎么办", "先检查空气开关。")
    publish("水费怎么交", "营业厅缴纳。")
    hits = article_search(viewer=kb.users[Role.OPERATOR], query="医保 缴费")
    assert [h.article.pk for h in hits] == [valid.pk, expired.pk]
    assert hits[0].score < hits[1].score  # the expired one matches better, yet comes last
    assert [h.expired for h in hits] == [False, True]
    assert hits[1].stale == "已过有效期"


def test_old_articles_are_flagged_but_keep_their_rank(kb, publish):
    now = timezone.now()
    publish("停水通知查询", "停水 停水 停水", at=now - timedelta(days=400))
    publish("停水报修", "可报修。", at=now)
    hits = article_search(viewer=kb.users[Role.OPERATOR], query="停水")
    assert questions(hits) == ["停水通知查询", "停水报修"]
    assert [h.stale for h in hits] == ["超过 365 天未更新", ""]


def test_invalid_articles_are_refused(kb):
    supervisor = kb.users[Role.SUPERVISOR]
    with pytest.raises(rules.InvalidArticle, match="请填写标准答案"):
        services.article_create(actor=supervisor, data=ArticleInput(question="问", answer="  "))
    with pytest.raises(rules.InvalidArticle, match="有效期止不能早于有效期起"):
        services.article_create(
            actor=supervisor,
            data=ArticleInput(
                question="问", answer="答", valid_from=date(2026, 3, 2), valid_to=date(2026, 3, 1)
            ),
        )
    with pytest.raises(rules.ArticleNotPermitted):
        services.article_create(
            actor=kb.users[Role.OPERATOR], data=ArticleInput(question="问", answer="答")
        )
    assert not Article.objects.exists()


def test_usage_is_counted_for_a_published_article_reference(kb, publish):
    article = publish("社保卡丢了怎么办", "先挂失再补办。", at=local(2026, 3, 2, 9))
    assert services.article_usage_record(reference=f"KB{article.pk} 社保卡丢了怎么办") is True
    assert services.article_usage_record(reference="停水通知查询") is False
    assert services.article_usage_record(reference="KB999999 无") is False
    article.refresh_from_db()
    assert article.usage_count == 1
