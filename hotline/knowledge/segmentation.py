"""Chinese word segmentation for the knowledge base (jieba).

The directory's place, unit and category names are added to the dictionary, so that
"书院路街道" or "市住房公积金中心" stay one word instead of falling apart into
"书院 / 路 / 街道". The dictionary is loaded once per process, on first use; a
change to the directory is taken in by ``refresh_directory_words``.

Two ways to cut: ``words`` (each character in exactly one word, names whole) and
``index_terms`` (the same words plus the shorter dictionary words inside long ones,
so that "公积金" finds "市住房公积金中心"). The index and the query both use the
second, so they always agree.
"""

import logging
import re
import threading

import jieba

from hotline.domain.knowledge_search import TERM_MAX

jieba.setLogLevel(logging.WARNING)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_added: set[str] = set()
# Names are added as the runs of letters and digits they contain: jieba never joins
# across punctuation ("城市排水/内涝" is "城市排水" and "内涝").
_RUN = re.compile(r"\w+", re.UNICODE)


def directory_words() -> set[str]:
    """Every region, unit and category name of the directory, split at punctuation."""
    from hotline.directory.models import Category, Region, Unit

    names: set[str] = set()
    for model in (Region, Unit, Category):
        names.update(model.objects.values_list("name", flat=True))
    return {run for name in names for run in _RUN.findall(name) if 2 <= len(run) <= TERM_MAX}


def _add(tokenizer: jieba.Tokenizer, words: set[str]) -> int:
    new = sorted(words - _added)
    for word in new:
        tokenizer.add_word(word)
    _added.update(new)
    return len(new)


def _segmenter() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                _add(tokenizer, directory_words())
                _tokenizer = tokenizer
    return _tokenizer


def refresh_directory_words() -> int:
    """Adds names new to the directory since the dictionary was loaded; returns how many."""
    tokenizer = _segmenter()
    with _lock:
        return _add(tokenizer, directory_words())


def add_words(words) -> None:
    """Adds words of its own to the dictionary (tests, imported glossaries)."""
    tokenizer = _segmenter()
    with _lock:
        _add(tokenizer, {w for w in words if 2 <= len(w) <= TERM_MAX})


def words(text: str) -> list[str]:
    """The text cut into words, each character in one word (punctuation included)."""
    return [w for w in _segmenter().cut(text or "") if w.strip()]


def index_terms(text: str) -> list[str]:
    """The words the index holds for a text: ``words`` plus the words inside long ones."""
    return [w for w in _segmenter().cut_for_search(text or "") if w.strip()]
