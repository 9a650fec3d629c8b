from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.text_search import QUERY_TERMS_MAX, Term, index_terms, query_terms


def test_chinese_is_indexed_by_pairs_of_characters_and_latin_by_words():
    assert index_terms("施工噪音，扰民！", "Wi-Fi 故障") == "施工 工噪 噪音 扰民 wi fi 故障"


def test_a_query_word_is_found_inside_any_longer_word():
    held = set(index_terms("小区楼下夜间施工噪音扰民").split())
    assert {t.text for t in query_terms("噪音")} <= held
    assert {t.text for t in query_terms("噪音 扰民")} <= held
    assert not {t.text for t in query_terms("停水")} <= held


def test_a_single_character_is_a_prefix_and_punctuation_is_no_term():
    assert query_terms("水") == [Term("水", prefix=True)]
    assert query_terms("，。！ ") == []
    assert query_terms("ABC") == [Term("abc", prefix=False)]


@given(st.text())
def test_every_term_is_letters_only_and_queries_are_bounded(text):
    assert all(term.isalnum() for term in index_terms(text).split())
    found = query_terms(text)
    assert len(found) <= QUERY_TERMS_MAX
    assert all(term.text.isalnum() for term in found)
