"""The pure rules: BM25, synonyms, staleness, references (no database)."""

from datetime import date, datetime, timedelta

import pytest

from hotline.domain import knowledge_search as rules
from hotline.domain.enums import Role

STATS = rules.CorpusStats(documents=3, total_length=30)


def test_idf_is_higher_for_rarer_words_and_never_negative():
    assert rules.idf(100, 1) > rules.idf(100, 50) > rules.idf(100, 100) > 0


def test_bm25_orders_by_frequency_then_length():
    weighted = rules.term_weights({"停水": 1.0}, {"停水": 2}, STATS)
    often = rules.bm25({"停水": 3}, length=10, weighted_idf=weighted, stats=STATS)
    once = rules.bm25({"停水": 1}, length=10, weighted_idf=weighted, stats=STATS)
    once_long = rules.bm25({"停水": 1}, length=40, weighted_idf=weighted, stats=STATS)
    assert often > once > once_long > 0
    assert rules.bm25({"停电": 2}, length=10, weighted_idf=weighted, stats=STATS) == 0


def test_bm25_matches_the_formula():
    weighted = rules.term_weights({"医保": 1.0}, {"医保": 1}, STATS)
    idf = rules.idf(3, 1)
    expected = idf * 2 * 2.2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 5 / 10))
    assert rules.bm25({"医保": 2}, length=5, weighted_idf=weighted, stats=STATS) == pytest.approx(
        expected
    )


def test_words_kept_for_the_index():
    assert rules.term_counts(["社保卡", "丢", "了", "，", "社保卡", "怎么"]) == {
        "社保卡": 2,
        "丢": 1,
    }
    assert rules.query_terms(["医保", "报销", "医保", "？"]) == ["医保", "报销"]


def test_synonyms_widen_the_query_at_a_lower_weight():
    groups = [["公积金", "住房公积金"], ["医保", "医疗保险"]]
    assert rules.expand(["公积金", "提取"], groups) == {
        "公积金": 1.0,
        "提取": 1.0,
        "住房公积金": rules.SYNONYM_WEIGHT,
    }
    split = {"医疗保险": ["医疗", "保险"]}.get
    assert rules.expand(["医保"], groups, split=lambda w: split(w, [w])) == {
        "医保": 1.0,
        "医疗": rules.SYNONYM_WEIGHT / 2,
        "保险": rules.SYNONYM_WEIGHT / 2,
    }
    assert rules.expand(["停水"], groups) == {"停水": 1.0}


def test_synonym_lines_are_parsed_and_checked():
    assert rules.parse_synonym_lines("公积金 住房公积金\n\n医保、医疗保险") == [
        ["公积金", "住房公积金"],
        ["医保", "医疗保险"],
    ]
    with pytest.raises(rules.InvalidSynonyms, match="第 2 行：「医保」已在第 1 行的同义词组中"):
        rules.parse_synonym_lines("医保 医疗保险\n医保 医疗保障")
    with pytest.raises(rules.InvalidSynonyms, match="至少需要两个不同的词"):
        rules.parse_synonym_lines("医保 医保")


def test_stale_when_expired_or_not_updated_for_a_year():
    now = datetime(2026, 3, 2, 9)
    fresh = now - timedelta(days=10)
    assert rules.stale_reason(valid_to=None, updated_at=fresh, now=now) == ""
    assert rules.stale_reason(valid_to=date(2026, 3, 1), updated_at=fresh, now=now) == "已过有效期"
    assert rules.stale_reason(valid_to=date(2026, 3, 2), updated_at=fresh, now=now) == ""
    old = now - timedelta(days=rules.STALE_AFTER_DAYS)
    assert rules.stale_reason(valid_to=None, updated_at=old, now=now) == "超过 365 天未更新"


def test_article_reference_round_trip():
    reference = rules.article_reference(42, "社保卡丢了怎么办？")
    assert reference == "KB42 社保卡丢了怎么办？"
    assert rules.referenced_article(reference) == 42
    assert rules.referenced_article("停水通知查询") is None
    assert rules.referenced_article("KB") is None
    assert len(rules.article_reference(7, "问" * 500)) == 200


def test_who_edits_what():
    rules.edit_check(role=Role.SUPERVISOR, actor_unit=None, owner_unit=5)
    rules.edit_check(role=Role.UNIT_HANDLER, actor_unit=5, owner_unit=5)
    with pytest.raises(rules.ArticleNotPermitted, match="只能编辑本单位"):
        rules.edit_check(role=Role.UNIT_HANDLER, actor_unit=5, owner_unit=6)
    with pytest.raises(rules.ArticleNotPermitted, match="「话务员」角色无权编辑知识库"):
        rules.edit_check(role=Role.OPERATOR, actor_unit=None, owner_unit=None)
    assert rules.status_after_edit(role=Role.SUPERVISOR, submit=False) == "approved"
    assert rules.status_after_edit(role=Role.UNIT_HANDLER, submit=True) == "pending"
    assert rules.status_after_edit(role=Role.UNIT_HANDLER, submit=False) == "draft"
