"""Turning an order's text into the features the suggestion models read.

Three kinds of term in one vocabulary: words cut by jieba (with the directory's place, unit
and category names added to its dictionary, so that "易俗河镇" or "物业服务收费" stay
whole), and the single characters and character bigrams of every run of Chinese
characters. The characters carry a request phrased in words the history never used:
"漏水" inside "屋顶一直漏水了", "托" of "托儿所" beside "托育服务".
"""

from __future__ import annotations

import logging
import re
import threading

import jieba

_CHINESE = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Full-width ASCII forms typed on Chinese keyboards ("ＫＴＶ", "２点") read as plain ASCII.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
MARKS = ("·", "˙")  # the prefixes of character pairs and single characters
_LOCK = threading.Lock()
_TOKENIZERS: dict[tuple[str, ...], jieba.Tokenizer] = {}

jieba.setLogLevel(logging.WARNING)


def tokenizer(words: tuple[str, ...]) -> jieba.Tokenizer:
    """One tokenizer per word list and process, built on first use (it loads a dictionary)."""
    tokenizer = _TOKENIZERS.get(words)
    if tokenizer is None:
        with _LOCK:
            tokenizer = _TOKENIZERS.get(words)
            if tokenizer is None:
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in words:
                    tokenizer.add_word(word, freq=2000)
                _TOKENIZERS[words] = tokenizer
    return tokenizer


class Analyzer:
    """Text → terms. Picklable: it keeps its word list, not the loaded dictionary."""

    def __init__(self, words=()):
        self.words = tuple(sorted({w for w in words if len(w) >= 2}))

    def __call__(self, text: str) -> list[str]:
        text = text.translate(_HALF_WIDTH).lower()
        cut = tokenizer(self.words).lcut(text, HMM=False)
        terms = [w for w in cut if len(w) > 1 or _WORD.match(w)]
        for run in _CHINESE.findall(text):
            terms.extend(MARKS[0] + run[i : i + 2] for i in range(len(run) - 1))
            terms.extend(MARKS[1] + ch for ch in run)
        return terms

    def warm(self) -> None:
        tokenizer(self.words)
