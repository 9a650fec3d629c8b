"""The knowledge base's rules (SPEC 9): relevance, synonyms, staleness, who edits what.

Ranking is Okapi BM25 over the words of an article's question and standard answer.
The statistics it needs (how many articles, their average length, how many contain
a word) come from the caller; this module only does the arithmetic, so the database
query and a hand computation give the same figures.

Expired articles stay findable — the operator is told the policy has lapsed rather
than left with nothing — but they are flagged and ranked after every article still
in force. An article not updated for ``STALE_AFTER_DAYS`` is flagged for review but
keeps its rank: its content may well still be right.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from hotline.domain.enums import Role
from hotline.domain.errors import DomainError

# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# A synonym counts a little less than the word the operator typed.
SYNONYM_WEIGHT = 0.8
# An article untouched for a year is due for review.
STALE_AFTER_DAYS = 365
# Longest word kept in the index (longer "words" are segmentation accidents).
TERM_MAX = 40
# The words of one query that are looked up; the rest add little but cost time.
QUERY_TERMS_MAX = 24

QUESTION_MAX = 300
ANSWER_MAX = 5000
SOURCE_MAX = 300
REVIEW_NOTE_MAX = 300

# Words that say how a question is asked, not what it is about.
STOPWORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 和 与 及 或 是 在 有 我 你 他 她 它 这 那 也 都 就 还 又 被 把 给 对
    从 向 到 让 为 等 个 中 上 下 后 前 内 可 能 要 会 应 将 由 按 以 其 之 该 并 而 但 不 没 请
    得 地 着 过 来 去 说 一 多 很 再 啥 么 如 若 则 即 于 所 已 因 此 某 每 各
    我们 你们 他们 这个 那个 哪 哪里
    哪些 什么 怎么 怎样 怎么办 如何 为什么 是否 可以 能否 能不能 可不可以 需要 请问 一下 一个
    还是 就是 以及 如果 但是 因为 所以 已经 没有 不是 这样 那样 现在 时候 问题 咨询 关于
    """.split()
)

_WORD = re.compile(r"[\w]", re.UNICODE)
_REFERENCE = re.compile(r"^KB(\d{1,12})(?:\s|$)")


class InvalidArticle(DomainError):
    code = "invalid_article"


class InvalidSynonyms(DomainError):
    code = "invalid_synonyms"


class ReviewRefused(DomainError):
    code = "review_refused"


class ArticleNotPermitted(DomainError):
    code = "not_permitted"


# --- words -----------------------------------------------------------------------------


def keep_term(word: str) -> bool:
    """A word worth indexing: not punctuation, not a stopword, not overly long.

    Single characters stay ("丢", "修", "坏" say what happened); the function words
    among them are stopwords.
    """
    word = word.strip()
    if not word or len(word) > TERM_MAX:
        return False
    if not _WORD.search(word):
        return False
    return word.lower() not in STOPWORDS


def term_counts(words: Iterable[str]) -> Counter:
    """Term frequencies of one article, words normalised to lower case."""
    return Counter(w.strip().lower() for w in words if keep_term(w))


def query_terms(words: Iterable[str]) -> list[str]:
    """The distinct words of a query, in the order typed, at most ``QUERY_TERMS_MAX``."""
    seen: dict[str, None] = {}
    for word in words:
        if keep_term(word):
            seen.setdefault(word.strip().lower(), None)
    return list(seen)[:QUERY_TERMS_MAX]


# --- synonyms --------------------------------------------------------------------------


def parse_synonym_lines(text: str) -> list[list[str]]:
    """One group a line, its words separated by spaces, commas or 、；= ~ signs.

    A word may belong to one group only; a group needs two different words.
    """
    groups: list[list[str]] = []
    owner: dict[str, int] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        words = [w.lower() for w in re.split(r"[\s,，、;；=~～]+", line) if w]
        if not words:
            continue
        words = list(dict.fromkeys(words))
        for word in words:
            if len(word) > TERM_MAX:
                raise InvalidSynonyms(f"第 {number} 行：「{word[:10]}…」过长（最多 {TERM_MAX} 字）")
            if word in owner:
                raise InvalidSynonyms(
                    f"第 {number} 行：「{word}」已在第 {owner[word]} 行的同义词组中"
                )
        if len(words) < 2:
            raise InvalidSynonyms(f"第 {number} 行：同义词组至少需要两个不同的词")
        for word in words:
            owner[word] = number
        groups.append(words)
    return groups


def expand(
    terms: list[str],
    groups: Iterable[Iterable[str]],
    split: Callable[[str], Iterable[str]] | None = None,
) -> dict[str, float]:
    """Query word → weight: the typed words at 1, their synonyms at ``SYNONYM_WEIGHT``.

    ``split`` turns a synonym into the words the index holds for it (a long synonym
    may be indexed as several words); by default a synonym is one word.
    """
    weights = {term: 1.0 for term in terms}
    for group in groups:
        members = list(group)
        if not any(term in members for term in terms):
            continue
        for member in members:
            parts = [w for w in (split(member) if split else [member]) if keep_term(w)]
            # A synonym the index holds as several words shares its weight among them.
            for word in parts:
                weights.setdefault(word, SYNONYM_WEIGHT / len(parts))
    return weights


# --- ranking ---------------------------------------------------------------------------


def idf(documents: int, containing: int) -> float:
    """BM25's inverse document frequency (the variant that is never negative)."""
    return math.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))


def term_score(*, tf: int, length: int, average_length: float, weight_idf: float) -> float:
    norm = K1 * (1.0 - B + B * length / average_length) if average_length else K1
    return weight_idf * tf * (K1 + 1.0) / (tf + norm)


def impact(*, tf: int, length: int, average_length: float) -> float:
    """A word's BM25 share in one article without its idf: the order in which the
    search reads the word's articles (best first)."""
    return term_score(tf=tf, length=length, average_length=average_length, weight_idf=1.0)


def strongest(weighted_idf: Mapping[str, float], limit: int) -> dict[str, float]:
    """The ``limit`` words that can add most to a score (a long account of a call has
    many common words that barely move the ranking)."""
    best = sorted(weighted_idf.items(), key=lambda item: -item[1])[:limit]
    return dict(best)


@dataclass(frozen=True)
class CorpusStats:
    documents: int
    total_length: int

    @property
    def average_length(self) -> float:
        return self.total_length / self.documents if self.documents else 0.0


def term_weights(
    weights: Mapping[str, float], containing: Mapping[str, int], stats: CorpusStats
) -> dict[str, float]:
    """Query weight × idf for each word found in at least one article."""
    return {
        term: weight * idf(stats.documents, containing[term])
        for term, weight in weights.items()
        if containing.get(term)
    }


def bm25(
    tfs: Mapping[str, int],
    *,
    length: int,
    weighted_idf: Mapping[str, float],
    stats: CorpusStats,
) -> float:
    """One article's score: ``tfs`` its counts of the query's words."""
    return sum(
        term_score(
            tf=tf, length=length, average_length=stats.average_length, weight_idf=weighted_idf[t]
        )
        for t, tf in tfs.items()
        if t in weighted_idf and tf
    )


# --- validity --------------------------------------------------------------------------


def is_expired(valid_to: date | None, today: date) -> bool:
    return valid_to is not None and valid_to < today


def not_yet_valid(valid_from: date | None, today: date) -> bool:
    return valid_from is not None and valid_from > today


def stale_reason(
    *,
    valid_to: date | None,
    updated_at: datetime,
    now: datetime,
    today: date | None = None,
    days: int = STALE_AFTER_DAYS,
) -> str:
    """Why an article needs review, in Chinese; empty when it does not.

    ``today`` is the hotline's local date (``now``'s date by default)."""
    if is_expired(valid_to, today or now.date()):
        return "已过有效期"
    if (now - updated_at).days >= days:
        return f"超过 {days} 天未更新"
    return ""


def check_article(
    *, question: str, answer: str, source: str, valid_from: date | None, valid_to: date | None
) -> None:
    if not question.strip():
        raise InvalidArticle("请填写问题")
    if not answer.strip():
        raise InvalidArticle("请填写标准答案")
    if len(question) > QUESTION_MAX:
        raise InvalidArticle(f"问题最多 {QUESTION_MAX} 字")
    if len(answer) > ANSWER_MAX:
        raise InvalidArticle(f"标准答案最多 {ANSWER_MAX} 字")
    if len(source) > SOURCE_MAX:
        raise InvalidArticle(f"来源最多 {SOURCE_MAX} 字")
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidArticle("有效期止不能早于有效期起")


# --- who edits what ---------------------------------------------------------------------

MANAGERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})


def edit_check(*, role: str, actor_unit: int | None, owner_unit: int | None) -> None:
    """The office edits every article; a unit handler only its own unit's."""
    if role in MANAGERS:
        return
    if role == Role.UNIT_HANDLER and actor_unit is not None and actor_unit == owner_unit:
        return
    if role == Role.UNIT_HANDLER:
        raise ArticleNotPermitted("只能编辑本单位的知识库条目")
    raise ArticleNotPermitted(f"「{Role(role).label}」角色无权编辑知识库")


def status_after_edit(*, role: str, submit: bool) -> str:
    """The office publishes directly; a unit's edit waits for the office's review."""
    if role in MANAGERS:
        return "approved"
    return "pending" if submit else "draft"


def review_check(*, role: str, status: str, approve: bool, note: str) -> None:
    if role not in MANAGERS:
        raise ArticleNotPermitted("只有热线办可以审核知识库条目")
    if status != "pending":
        raise ReviewRefused("该条目不在待审核状态")
    if not approve and not note.strip():
        raise ReviewRefused("退回时请填写退回理由")
    if len(note) > REVIEW_NOTE_MAX:
        raise ReviewRefused(f"审核意见最多 {REVIEW_NOTE_MAX} 字")


# --- the reference an answered order keeps ----------------------------------------------


def article_reference(article_id: int, question: str, limit: int = 200) -> str:
    """What 答复依据 records: "KB<id> <question>", within the field's length."""
    return f"KB{article_id} {question}"[:limit]


def referenced_article(reference: str) -> int | None:
    """The article id of a reference written by ``article_reference``, else None."""
    found = _REFERENCE.match((reference or "").strip())
    return int(found.group(1)) if found else None
