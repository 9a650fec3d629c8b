"""jieba with the directory's names in its dictionary."""

from hotline.knowledge import segmentation


def test_place_and_unit_names_stay_whole(kb):
    words = segmentation.words("书院路街道的路灯坏了，请市市场监管局和中环水务处理")
    assert "书院路街道" in words
    assert "市市场监管局" in words
    assert "中环水务" in words
    assert "书院" not in words and "街道" not in words


def test_category_names_stay_whole(kb):
    assert "噪音扰民" in segmentation.words("楼下噪音扰民严重")


def test_index_terms_hold_the_name_and_the_words_inside_it(kb):
    terms = segmentation.index_terms("书院路街道停水")
    assert "书院路街道" in terms
    assert "街道" in terms
    assert "停水" in terms


def test_new_directory_names_are_taken_in(kb):
    from hotline.directory.models import Region

    Region.objects.create(code="430304099", name="枫林湾街道", level="town", parent=kb.yuetang)
    assert segmentation.refresh_directory_words() >= 1
    assert "枫林湾街道" in segmentation.words("枫林湾街道路灯不亮")
