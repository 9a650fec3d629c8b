"""Turning an order's text into the features the suggestion models read.

Three kinds of term in one vocabulary: words cut by jieba (with the directory's place, unit
and category names added to its dictionary, so that "易俗河镇" or "物业服务收费" stay
whole), and the single characters and character bigrams of every run of Chinese
characters. The characters carry a request phrased in words the history never used:
"漏水" inside "屋顶一直漏水了", "托" of "托儿所" beside "托育服务".
"""

from __future__ import annotations

import logging
import math
import re
import threading

import jieba

_CHINESE = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Full-width ASCII forms typed on Chinese keyboards ("ＫＴＶ", "２点") read as plain ASCII.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
MARKS = ("·", "˙")  # the prefixes of character pairs and single characters
_LOCK = threading.Lock()
_SEGMENTERS: dict[tuple[str, ...], Segmenter] = {}
_GENERAL: list[jieba.Tokenizer] = []  # jieba's general dictionary, loaded once
# Runs of characters remembered with their words by each segmenter: orders repeat their
# phrases (请尽快处理, a street's name, a category's usual words) — in three months of the
# demo's history 94 % of the runs had been seen before. Forgotten all at once when full.
RUNS_REMEMBERED = 50_000

jieba.setLogLevel(logging.WARNING)


def general_dictionary() -> dict[str, int]:
    """jieba's general dictionary (word → frequency; 0 for a prefix that is no word), read
    once per process: each read costs about a CPU-second."""
    if not _GENERAL:
        with _LOCK:
            if not _GENERAL:
                general = jieba.Tokenizer()
                general.initialize()
                _GENERAL.append(general)
    return _GENERAL[0].FREQ


def segmenter(words: tuple[str, ...]) -> Segmenter:
    """One segmenter per word list and process, built on first use from a copy of the
    general dictionary."""
    built = _SEGMENTERS.get(words)
    if built is None:
        general_dictionary()
        with _LOCK:
            built = _SEGMENTERS.get(words)
            if built is None:
                base = _GENERAL[0]
                extended = jieba.Tokenizer()
                extended.FREQ, extended.total = dict(base.FREQ), base.total
                extended.initialized = True
                for word in words:
                    extended.add_word(word, freq=2000)
                built = _SEGMENTERS[words] = Segmenter(extended.FREQ, extended.total)
    return built


class Segmenter:
    """The words jieba cuts without its hidden Markov model — ``lcut(text, HMM=False)``, the
    same words in the same order (a test compares them) — found by the same arithmetic in
    one pass per run of characters, without jieba's generators and tuples: the segmentation
    was most of the CPU of training and of a batch of suggestions."""

    _RUNS = jieba.re_han_default  # the runs jieba segments; the rest it splits by character
    _SPACE = jieba.re_skip_default
    _LETTER = jieba.re_eng

    def __init__(self, frequencies: dict[str, int], total: int):
        self.frequencies = frequencies
        self.log_total = math.log(total)
        self._remembered: dict[str, list[str]] = {}

    def cut(self, text: str) -> list[str]:
        words: list[str] = []
        for block in self._RUNS.split(text):
            if not block:
                continue
            if self._RUNS.match(block):
                cut = self._remembered.get(block)
                if cut is None:
                    if len(self._remembered) >= RUNS_REMEMBERED:
                        self._remembered.clear()
                    cut = self._remembered[block] = self._cut_run(block)
                words.extend(cut)
                continue
            for piece in self._SPACE.split(block):
                if self._SPACE.match(piece):
                    words.append(piece)
                else:
                    words.extend(piece)
        return words

    def _cut_run(self, run: str) -> list[str]:
        frequencies, log, log_total = self.frequencies, math.log, self.log_total
        n = len(run)
        # score[k]: the best path's log probability from k on; end[k]: its first word's end.
        # jieba takes the highest score and, among equal scores, the longest word.
        score = [0.0] * (n + 1)
        end = list(range(1, n + 2))
        for k in range(n - 1, -1, -1):
            best = None
            i, fragment = k, run[k]
            while i < n and fragment in frequencies:
                frequency = frequencies[fragment]
                if frequency:
                    value = log(frequency) - log_total + score[i + 1]
                    if best is None or value >= best:
                        best, end[k] = value, i + 1
                i += 1
                fragment = run[k : i + 1]
            if best is None:  # no word starts here: the character alone
                best, end[k] = log(frequencies.get(run[k]) or 1) - log_total + score[k + 1], k + 1
            score[k] = best
        words: list[str] = []
        letters = ""  # single letters and digits jieba joins into one word
        x = 0
        while x < n:
            word = run[x : end[x]]
            if len(word) == 1 and self._LETTER.match(word):
                letters += word
            else:
                if letters:
                    words.append(letters)
                    letters = ""
                words.append(word)
            x = end[x]
        if letters:
            words.append(letters)
        return words


class Analyzer:
    """Text → terms. Picklable: it keeps its word list, not the loaded dictionary."""

    def __init__(self, words=()):
        self.words = tuple(sorted({w for w in words if len(w) >= 2}))

    def __call__(self, text: str) -> list[str]:
        text = text.translate(_HALF_WIDTH).lower()
        cut = segmenter(self.words).cut(text)
        terms = [w for w in cut if len(w) > 1 or _WORD.match(w)]
        for run in _CHINESE.findall(text):
            terms.extend(MARKS[0] + run[i : i + 2] for i in range(len(run) - 1))
            terms.extend(MARKS[1] + ch for ch in run)
        return terms

    def warm(self) -> None:
        segmenter(self.words)


class WordSpotter:
    """The words of a fixed list found in a text, each with the labels it points to (its
    categories, or their columns).

    A word found inside a longer one found at the same place does not count: 噪音 inside
    施工噪音 points to construction noise, not to noise in general. Picklable."""

    def __init__(self, words: dict[str, tuple]):
        self.words = {w.translate(_HALF_WIDTH).lower(): labels for w, labels in words.items()}
        self._index()

    def _index(self) -> None:
        # Every beginning of a word: a place in the text is read only as far as one goes on.
        self._prefixes = {word[:k] for word in self.words for k in range(1, len(word) + 1)}

    def __getstate__(self) -> dict:
        return {"words": self.words}  # the beginnings are rebuilt when read

    def __setstate__(self, state: dict) -> None:
        self.words = state["words"]
        self._index()

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        text = text.translate(_HALF_WIDTH).lower()
        words, prefixes, n = self.words, self._prefixes, len(text)
        found = []
        for i in range(n):
            j = i + 1
            while j <= n and text[i:j] in prefixes:
                if text[i:j] in words:
                    found.append((i, j, text[i:j]))
                j += 1
        # Longest first, then keep those no kept span contains.
        found.sort(key=lambda s: (s[0] - s[1], s[0]))
        kept: list[tuple[int, int, str]] = []
        for start, end, word in found:
            if not any(a <= start and end <= b for a, b, _ in kept):
                kept.append((start, end, word))
        return kept

    def found(self, text: str) -> list[str]:
        """The words found, in the order of the text, each once."""
        return list(dict.fromkeys(w for _, _, w in sorted(self.spans(text))))


# How people say what they want, whatever the matter: asking (咨询), asking for help (求助),
# complaining about whoever serves them (投诉), reporting someone else's wrong (举报),
# suggesting (建议), praising (表扬), criticising (批评), closing an earlier request (其他).
# Words of the demand, not of the matter: a question's 是不是 or 要不要, a third party's
# 有家 or 擅自. The appeal-type classifier reads them as columns of their own beside the
# text's terms, so that the matter's words do not decide the type.
APPEAL_CUES = {
    "consult": (
        "请问",
        "问一下",
        "问下",
        "问问",
        "想问",
        "想了解",
        "想知道",
        "咨询",
        "怎么办理",
        "怎么申请",
        "怎么弄",
        "怎么交",
        "怎么办的",
        "怎么算",
        "怎么查",
        "要什么",
        "要哪些",
        "要带",
        "要准备",
        "需要什么",
        "什么条件",
        "什么时候",
        "么子时候",
        "几点",
        "几月",
        "多久",
        "多长时间",
        "去哪里",
        "到哪里",
        "在哪里",
        "哪个部门",
        "找哪个",
        "找哪里",
        "哪些",
        "多少钱",
        "好多钱",
        "是多少",
        "能不能",
        "可不可以",
        "可以吗",
        "行不行",
        "有冇",
        "有没有",
        "是不是",
        "要不要",
        "算不算",
        "收不收",
        "会不会",
        "合不合",
        "准不准",
        "是否",
        "吗",
        "什么手续",
        "什么材料",
        "什么程序",
        "流程",
        "政策",
        "标准是",
        "规定",
        "？",
        "?",
    ),
    "help": (
        "麻烦",
        "帮忙",
        "帮帮",
        "帮我",
        "帮下",
        "帮一下",
        "帮他",
        "帮她",
        "派人",
        "派个",
        "请人来",
        "上门",
        "快来",
        "来修",
        "来看",
        "修一下",
        "修好",
        "处理一下",
        "解决一下",
        "协调",
        "打捞",
        "清理一下",
        "求助",
        "救救",
        "救助",
        "过不下去",
        "冇办法",
        "没办法",
        "赶紧",
        "尽快",
        "怎么办",
        "该找",
        "急",
        "危险",
        "困难",
        "冇人来",
        "没人来",
        "到现在",
        "还冇",
        "还没",
    ),
    "complaint": (
        "投诉",
        "太不像话",
        "凭什么",
        "不给退",
        "不退",
        "态度",
        "太差",
        "太慢",
        "乱收",
        "多收",
        "不管",
        "冇人管",
        "没人管",
        "讲了几次",
        "好多次",
        "一直不",
        "拖着",
        "拖了",
        "一拖再拖",
        "跑路",
        "不给",
        "不认账",
        "推诿",
        "敷衍",
        "强制",
        "欺负人",
        "不合理",
        "受不了",
        "睡不着",
        "太吵",
        "臭得",
        "害得",
    ),
    "report": (
        "举报",
        "有人",
        "有户人",
        "有户人家",
        "有家",
        "有个",
        "有些",
        "一家",
        "那家",
        "被人",
        "偷偷",
        "私自",
        "擅自",
        "非法",
        "违法",
        "违规",
        "违章",
        "无证",
        "冇证",
        "冇得证",
        "没有证",
        "执照",
        "假冒",
        "假的",
        "假货",
        "过期",
        "地沟油",
        "暗管",
        "偷排",
        "直接排",
        "偷倒",
        "乱倒",
        "乱排",
        "冒充",
        "黑作坊",
        "黑车",
        "加盖",
        "赌博",
        "六合彩",
        "传销",
        "怀疑",
        "发现",
        "骗",
    ),
    "suggestion": (
        "建议",
        "希望能",
        "能不能多",
        "多开",
        "加密",
        "增设",
        "增加",
        "开通",
        "最好",
        "应该",
        "要是能",
        "提个意见",
        "提议",
    ),
    "praise": (
        "表扬",
        "感谢",
        "谢谢",
        "点赞",
        "点个赞",
        "辛苦",
        "好人",
        "锦旗",
        "给力",
        "耐心",
        "热情",
        "做得好",
        "蛮好",
    ),
    "criticism": ("批评", "不作为", "爱理不理", "阴阳怪气", "玩手机", "刷手机", "效率太低"),
    "other": ("撤回", "撤销", "结案", "不用再", "不用派", "不用回访", "已经修好", "已经解决"),
}
