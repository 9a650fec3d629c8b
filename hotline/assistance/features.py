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


class WordSpotter:
    """The words of a fixed list found in a text, each with the labels it points to (its
    categories, or their columns).

    A word found inside a longer one found at the same place does not count: 噪音 inside
    施工噪音 points to construction noise, not to noise in general. Picklable."""

    def __init__(self, words: dict[str, tuple]):
        self.words = {w.translate(_HALF_WIDTH).lower(): labels for w, labels in words.items()}
        self.longest = max(map(len, self.words), default=0)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        text = text.translate(_HALF_WIDTH).lower()
        found = []
        for i in range(len(text)):
            for j in range(min(len(text), i + self.longest), i, -1):
                if text[i:j] in self.words:
                    found.append((i, j, text[i:j]))
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
    "criticism": ("批评", "爱理不理", "阴阳怪气", "玩手机", "刷手机", "效率太低"),
    "other": ("撤回", "撤销", "结案", "不用再", "不用派", "不用回访", "已经修好", "已经解决"),
}
