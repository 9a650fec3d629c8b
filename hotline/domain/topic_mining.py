"""The topic miner (每月一题 / 一类事 / 主动治理): each month it proposes the chronic
problems worth a topic — one place whose citizens keep calling about one thing, across
units and months — with the evidence a supervisor needs to decide.

How orders become a candidate:

1. **Place.** ``normalise_place`` reads the estate (小区/花园/苑/村…) and its building
   out of the free address, whatever the writing: full-width digits, Chinese numerals,
   第3幢 / 3号楼 / 三栋 all become ``3栋``; units and rooms (2单元301) and the district,
   town and community before the estate are dropped. A road number (建设路138号) or a
   village group (黄泥村9组) is a place too. Orders whose address names no place are
   never mined: without a place there is nothing to govern.
2. **Group.** Orders of one district and place are grouped by their mid-level category
   (the leaf's parent), so that two near leaves — 噪声扰民 and 施工噪声 — count as one.
3. **Join by text.** At one place, groups of different categories join when their
   texts are alike (cosine of IDF-weighted character pairs, the same pairs the order
   search indexes): one problem registered under two categories by two operators is
   still one problem.
4. **Rank** by ``score`` (below) and keep those with at least ``min_orders`` orders.

The score adds what makes a problem chronic, each term over its floor, weighted by how
strongly it says "this place is not getting better":

- every order counts 1 — volume alone is the weakest sign;
- every month beyond the first counts 3 — a problem that comes back month after month is
  what 每月一题 is for, and chance rarely spreads one place's orders over many months;
- every unit beyond the first counts 2 — responsibility passed around is the classic
  一类事 needing one lead;
- every repeat caller (a caller with two orders or more here) counts 2;
- every returned order counts 2, every reworked order 3 and every unsatisfied callback
  3 — the handling failed, not only the place.

The sum is multiplied by ``0.5 + cohesion`` (cohesion: the mean similarity of each
order's text to the cluster's, 0–1): orders that merely share a busy address and a broad
category but speak of different things weigh half as much as orders telling one story.

Deterministic: the same orders give the same candidates in the same order; a
candidate's ``key`` depends only on its district, place and dominant category.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import jieba

from hotline.domain.text_search import index_terms

jieba.setLogLevel(logging.WARNING)

ORDER_WEIGHT = 1.0
MONTH_WEIGHT = 3.0
UNIT_WEIGHT = 2.0
REPEAT_CALLER_WEIGHT = 2.0
RETURN_WEIGHT = 2.0
REWORK_WEIGHT = 3.0
UNSATISFIED_WEIGHT = 3.0
# Two category groups at one place join above this similarity of their texts.
JOIN_SIMILARITY = 0.35
KEYWORDS_SHOWN = 5
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
# Words of how a request is told, not of what it is about.
_COMMON_WORDS = frozenset(
    "市民 来电 反映 来电人 表示 希望 相关 部门 有关 处理 要求 尽快 问题 情况 多次 "
    "再次 一直 请求 解决 核实 小区 我们 他们 没有 已经 现在 还是 这个 那个".split()
)


@dataclass(frozen=True)
class MinedOrder:
    order_id: int
    number: str
    registered_at: datetime
    category_code: str
    category_name: str
    region_code: str
    address: str
    content: str
    unit_ids: tuple[int, ...]
    caller_key: str  # the same caller gives the same key; "" when unknown
    returned: bool
    reworked: bool
    unsatisfied: bool


@dataclass(frozen=True)
class TopicCandidate:
    key: str  # stable id of the cluster
    place: str  # normalised place label
    category_code: str
    category_name: str
    title: str  # suggested Chinese title
    order_ids: tuple[int, ...]
    unit_ids: tuple[int, ...]
    months: tuple[str, ...]  # "2026-09", oldest first
    repeat_callers: int
    returns: int
    reworks: int
    unsatisfied: int
    score: float
    evidence: tuple[str, ...]  # Chinese sentences saying why it is proposed


# --- places ----------------------------------------------------------------------------

_NUMERAL = "零〇一二两三四五六七八九十"
_NUMBER = rf"[0-9]+|[{_NUMERAL}]+"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NOISE = re.compile(r"[\s,，、。；;:：()（）\[\]【】\"'“”‘’<>《》\-—_/\\#＃]+")
# What precedes the place, in the order it is written; each level at most once.
_ADMIN = (
    re.compile(r"^.{2,7}?省"),
    re.compile(r"^.{1,8}?(?:自治州|地区|盟)"),
    re.compile(r"^.{1,6}?市(?!场)"),
    # Not 小区/园区/社区/景区…: those are places, not districts.
    re.compile(r"^.{1,6}?(?:(?<![小园社景校厂片矿营街])区|县|市(?!场))"),
    re.compile(r"^.{1,8}?(?:街道办事处|街道办|街道|镇|乡)"),
    re.compile(r"^.{1,8}?(?:社区居委会|社区|居委会)"),
)
_BUILDING = re.compile(rf"第?({_NUMBER})(?:号楼|号栋|栋楼|栋|幢|座|号院)")
_NUMBERED = re.compile(rf"(?:{_NUMBER})[号组]")
_ROAD_NUMBER = re.compile(r"^(.{1,12}?(?:大道|路|街|巷))(?:第)?([0-9]+)号")
_VILLAGE_GROUP = re.compile(rf"^(.{{1,10}}?村)(?:第)?({_NUMBER})组")
_ESTATE_SUFFIX = re.compile(
    r"(?:小区|花园|家园|新村|公寓|雅苑|佳园|名城|华府|公馆|大厦|广场|宿舍|大院|"
    r"山庄|庄园|小镇|村|苑|府|庭|园|城|湾)"
)
# Where the name of the place ends and the description of a spot in it begins.
_SPOT = re.compile(
    r"(?:的|旁|附近|对面|周边|门口|[东南西北]?大?门|楼下|楼道|内|里面|路口|一带|处|前|后)"
)
# 金桥花园小区 is 金桥花园; 乐园小区 stays itself (the name must remain two characters).
_MULTIPLE_SUFFIX = re.compile(
    r"^(.{2,}(?:花园|家园|新村|雅苑|佳园|名城|华府|公寓|苑|府|庭|园|城))小区$"
)
_PLACE_UNIT = re.compile(r"([0-9]+)(?:栋|组|号)$")


def _number(text: str) -> int:
    """An Arabic or Chinese numeral up to 99 (三 → 3, 十二 → 12, 二十三 → 23)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS.get(tens, 1) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + _DIGITS.get(char, 0)
    return value


def _strip_admin(text: str, region_name: str) -> tuple[str, str]:
    """The address after the region names that precede the place, and the last
    community or village office named there (the place when nothing follows)."""
    if region_name and region_name in text:
        text = text[text.index(region_name) + len(region_name) :]
    community = ""
    for level in _ADMIN:
        found = level.match(text)
        if level is _ADMIN[-1] and found:
            community, text = found.group(), text[found.end() :]
        elif found and found.end() < len(text):
            text = text[found.end() :]
    return text, community


def _estate(text: str) -> str:
    """The estate's name at the start of ``text``: up to the last estate suffix before
    the description of a spot in it; "" when none."""
    spot = _SPOT.search(text, 2)
    head = text[: spot.start()] if spot else text
    ends = [found.end() for found in _ESTATE_SUFFIX.finditer(head)]
    return head[: ends[-1]] if ends and ends[-1] >= 2 else ""


def _tidy_estate(name: str) -> str:
    name = name.removeprefix("第")
    double = _MULTIPLE_SUFFIX.match(name)
    return double.group(1) if double else name


def normalise_place(address: str, region_name: str = "") -> str:
    """The place an address names, written one way: "云盘小区3栋", "云盘小区" (the
    whole estate), "建设北路138号", "黄泥村9组"; "" when the address names none."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", address or ""))
    # Nothing after the building (or the number) changes the place: without units and
    # rooms, the many addresses of one building share one cached answer.
    end = _BUILDING.search(text) or _NUMBERED.search(text)
    return _place(text[: end.end()] if end else text, region_name)


@functools.lru_cache(maxsize=1 << 16)
def _place(text: str, region_name: str) -> str:
    if not text:
        return ""
    if region_name:
        region_name = _NOISE.sub("", unicodedata.normalize("NFKC", region_name))
    text, community = _strip_admin(text, region_name)
    building = _BUILDING.search(text)
    if building and building.start() >= 2:
        name = _tidy_estate(text[: building.start()])
        number = _number(building.group(1))
        if number:
            return f"{name}{number}栋"
    road = _ROAD_NUMBER.match(text)
    if road:
        return f"{road.group(1)}{int(road.group(2))}号"
    village = _VILLAGE_GROUP.match(text)
    if village:
        return f"{village.group(1)}{_number(village.group(2))}组"
    estate = _estate(text)
    if estate:
        return _tidy_estate(estate)
    return community


def community_of(place: str) -> str:
    """The estate or village a place lies in: 云盘小区3栋 → 云盘小区 (a place that is a
    whole estate is its own community)."""
    return _PLACE_UNIT.sub("", place) if not place.endswith("号") else place


def matches(place: str, category_code: str, keywords: tuple[str, ...], order: MinedOrder) -> bool:
    """Whether a new order belongs to a topic: at the topic's place — anywhere in the
    estate when the topic is the whole estate's — and of its category (the same
    mid-level category) or speaking of one of its keywords. A topic without a place
    takes the orders of its category that name a keyword."""
    same_category = category_group(order.category_code) == category_group(category_code)
    named = any(word and word in order.content for word in keywords)
    if not place:
        return same_category and named
    where = normalise_place(order.address)
    if not where:
        return False
    here = where == place or (community_of(place) == place and community_of(where) == place)
    return here and (same_category or named)


# --- mining ----------------------------------------------------------------------------


def category_group(code: str) -> str:
    """The mid-level category of a leaf (010101 → 0101); a higher level is its own."""
    return code[:4] if len(code) > 4 else code


def district_of(region_code: str) -> str:
    """The district (区县) a region code lies in: its first six digits."""
    return region_code[:6]


def chronic_weight(
    *,
    orders: int,
    months: int,
    units: int,
    repeat_callers: int,
    returns: int,
    reworks: int,
    unsatisfied: int,
) -> float:
    """How chronic a cluster looks before its texts are read (the module's note)."""
    return (
        ORDER_WEIGHT * orders
        + MONTH_WEIGHT * max(months - 1, 0)
        + UNIT_WEIGHT * max(units - 1, 0)
        + REPEAT_CALLER_WEIGHT * repeat_callers
        + RETURN_WEIGHT * returns
        + REWORK_WEIGHT * reworks
        + UNSATISFIED_WEIGHT * unsatisfied
    )


def _month(at: datetime) -> str:
    return f"{at.year:04d}-{at.month:02d}"


class _Texts:
    """IDF-weighted character pairs of the orders' contents, unit length."""

    def __init__(self, orders: Sequence[MinedOrder]):
        # What the text says beyond where: the pairs of the address and the place are
        # left out, else every order naming its building would resemble every other.
        self.terms = {
            order.order_id: set(index_terms(order.content).split())
            - set(index_terms(order.address, normalise_place(order.address)).split())
            for order in orders
        }
        frequency = Counter(term for terms in self.terms.values() for term in terms)
        total = len(self.terms) + 1
        self.idf = {term: math.log(total / (count + 1)) + 1 for term, count in frequency.items()}

    def centroid(self, orders: Iterable[MinedOrder]) -> dict[str, float]:
        sums: dict[str, float] = defaultdict(float)
        for order in orders:
            vector = self.vector(order)
            for term, weight in vector.items():
                sums[term] += weight
        return _unit(sums)

    def vector(self, order: MinedOrder) -> dict[str, float]:
        return _unit({term: self.idf[term] for term in self.terms[order.order_id]})


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _join_groups(groups: list[list[MinedOrder]], texts: _Texts) -> list[list[MinedOrder]]:
    """Category groups of one place joined when their texts are alike (union-find)."""
    if len(groups) < 2:
        return groups
    centroids = [texts.centroid(group) for group in groups]
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            if _cosine(centroids[i], centroids[j]) >= JOIN_SIMILARITY:
                parent[root(j)] = root(i)
    joined: dict[int, list[MinedOrder]] = defaultdict(list)
    for i, group in enumerate(groups):
        joined[root(i)].extend(group)
    return list(joined.values())


def mine(
    orders: Iterable[MinedOrder],
    *,
    min_orders: int = 3,
    limit: int = 20,
    recent_from: datetime | None = None,
) -> list[TopicCandidate]:
    """The candidate topics among ``orders``, best first, at most ``limit``. Each has at
    least ``min_orders`` orders and, given ``recent_from``, one registered since then."""
    places: dict[tuple[str, str], list[MinedOrder]] = defaultdict(list)
    for order in orders:
        place = normalise_place(order.address)
        if place:
            places[(district_of(order.region_code), place)].append(order)
    eligible = {
        where: rows
        for where, rows in places.items()
        if len(rows) >= min_orders
        and (recent_from is None or any(o.registered_at >= recent_from for o in rows))
    }
    texts = _Texts([order for rows in eligible.values() for order in rows])
    candidates = []
    for (district, place), rows in sorted(eligible.items()):
        by_category: dict[str, list[MinedOrder]] = defaultdict(list)
        for order in sorted(rows, key=_by_time):
            by_category[category_group(order.category_code)].append(order)
        for cluster in _join_groups([by_category[c] for c in sorted(by_category)], texts):
            if len(cluster) < min_orders:
                continue
            if recent_from is not None and not any(o.registered_at >= recent_from for o in cluster):
                continue
            candidates.append(_candidate(district, place, sorted(cluster, key=_by_time), texts))
    candidates.sort(key=lambda c: (-c.score, c.key))
    return candidates[:limit]


def _by_time(order: MinedOrder) -> tuple[datetime, int]:
    return order.registered_at, order.order_id


def _candidate(
    district: str, place: str, cluster: list[MinedOrder], texts: _Texts
) -> TopicCandidate:
    leaves = Counter(order.category_code for order in cluster)
    names = {order.category_code: order.category_name for order in cluster}
    # The dominant leaf, the lowest code on a tie: the key stays put as orders arrive.
    leaf = min(leaves, key=lambda code: (-leaves[code], code))
    units = sorted({unit for order in cluster for unit in order.unit_ids})
    months = sorted({_month(order.registered_at) for order in cluster})
    callers = Counter(order.caller_key for order in cluster if order.caller_key)
    repeat_callers = sum(1 for count in callers.values() if count >= 2)
    returns = sum(order.returned for order in cluster)
    reworks = sum(order.reworked for order in cluster)
    unsatisfied = sum(order.unsatisfied for order in cluster)
    centroid = texts.centroid(cluster)
    cohesion = sum(_cosine(texts.vector(order), centroid) for order in cluster) / len(cluster)
    base = chronic_weight(
        orders=len(cluster),
        months=len(months),
        units=len(units),
        repeat_callers=repeat_callers,
        returns=returns,
        reworks=reworks,
        unsatisfied=unsatisfied,
    )
    key_text = f"{district}|{place}|{category_group(leaf)}"
    span = _month_span(months[0], months[-1])
    evidence = [
        f"{span}个月内同一地点（{place}）反映{len(cluster)}件，涉及{len(units)}个承办单位，"
        f"重复来电{repeat_callers}人，退单{returns}次，返工{reworks}次，回访不满意{unsatisfied}件",
        f"最早{_day(cluster[0].registered_at)}受理，最近{_day(cluster[-1].registered_at)}受理，"
        f"分布在{len(months)}个月（{'、'.join(months)}）",
    ]
    if len(leaves) > 1:
        kinds = sorted(leaves.items(), key=lambda item: (-item[1], item[0]))
        evidence.append(
            "涉及分类：" + "、".join(f"{names[code]}{count}件" for code, count in kinds)
        )
    words = _keywords(cluster, place)
    if words:
        evidence.append(f"诉求内容相近（相似度{cohesion:.2f}），共同字词：{'、'.join(words)}")
    return TopicCandidate(
        key=hashlib.sha256(key_text.encode()).hexdigest()[:16],
        place=place,
        category_code=leaf,
        category_name=names[leaf],
        title=f"{place}{names[leaf]}问题",
        order_ids=tuple(order.order_id for order in cluster),
        unit_ids=tuple(units),
        months=tuple(months),
        repeat_callers=repeat_callers,
        returns=returns,
        reworks=reworks,
        unsatisfied=unsatisfied,
        score=round(base * (0.5 + cohesion), 3),
        evidence=tuple(evidence),
    )


def _keywords(cluster: list[MinedOrder], place: str) -> list[str]:
    """The words (jieba) that at least half of the cluster's orders use, most used
    first, leaving out the place itself and the words of every request."""
    counts: Counter[str] = Counter()
    for order in cluster:
        words = {w for w in jieba.lcut(order.content) if _WORD.fullmatch(w)}
        counts.update(words - _COMMON_WORDS)
    shared = [
        (-count, word)
        for word, count in counts.items()
        if 2 * count >= len(cluster) and word not in place
    ]
    return [word for _, word in sorted(shared)[:KEYWORDS_SHOWN]]


def _month_span(first: str, last: str) -> int:
    y1, m1 = map(int, first.split("-"))
    y2, m2 = map(int, last.split("-"))
    return (y2 - y1) * 12 + m2 - m1 + 1


def _day(at: datetime) -> str:
    return f"{at.year}年{at.month}月{at.day}日"
