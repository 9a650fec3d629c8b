"""Chronic problems planted into a generated history, for judging the topic miner
(每月一题): one building whose residents call about one thing for months, the orders
worded differently, filed under neighbouring categories, passed between units,
returned, reworked and called back unsatisfied — what a topic is for.

``plant_chronic`` appends the planted orders to a generated ``orders.jsonl`` (same
format, numbers from a range the generator never reaches) and says which orders it
planted. The estates come from the generator's own vocabulary, so a planted building
also gets the history's ordinary orders at random: the miner must tell the problem
from the noise, not merely find an address nobody else uses.

Deterministic: the same arguments plant the same lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

from hotline.demo.history import phrasebook as pb
from hotline.domain.deadlines import LOCAL_TZ
from hotline.interchange.directory_index import read_index

# The generator numbers a year's orders from 1; the planted ones from here.
FIRST_PLANTED_SEQUENCE = 9_000_000


@dataclass(frozen=True)
class Problem:
    leaves: tuple[str, ...]  # the categories operators filed it under
    units: tuple[str, ...]  # the units it was passed between
    wordings: tuple[str, ...]  # "{place}" is where the citizen says it happens


PROBLEMS = (
    Problem(
        ("030108", "030302"),
        ("U-STHJ", "U-CGJ"),
        (
            "{place}楼下烧烤店每晚油烟直排，窗户都不敢开，希望处理。",
            "反映{place}底商烧烤摊油烟很大，晚上还吵到凌晨。",
            "{place}一楼烧烤店油烟扰民问题又出现了，之前投诉过没有改善。",
            "市民称{place}楼下烧烤夜宵店油烟、噪音严重，影响休息。",
            "再次反映{place}楼下烧烤店排烟管道直对住户窗户，油烟熏人。",
        ),
    ),
    Problem(
        ("010102", "010602"),
        ("U-ZJJ", "U-SCJG"),
        (
            "{place}电梯经常停运，老人上下楼困难，物业一直不修。",
            "反映{place}电梯又坏了，困人好几次，要求彻底维修。",
            "{place}电梯故障频繁，多次报修物业只是临时处理。",
            "市民来电：{place}的电梯三天两头坏，存在安全隐患。",
            "{place}电梯停用一周了，物业称在等配件，居民出行困难。",
        ),
    ),
    Problem(
        ("010503", "030202"),
        ("U-CGJ", "U-ZHSW"),
        (
            "{place}门前下水道堵塞，污水外溢，臭味很大。",
            "反映{place}化粪池满溢，污水流到路面，多次反映未解决。",
            "{place}旁边排水管道堵了，一下雨就积水，污水倒灌。",
            "来电称{place}下水道又堵了，污水横流，希望疏通。",
            "{place}楼前污水井冒水，气味难闻，要求尽快处理。",
        ),
    ),
    Problem(
        ("030301", "010201"),
        ("U-ZJJ", "U-CGJ"),
        (
            "{place}旁工地夜间施工，噪音很大，严重影响休息。",
            "反映{place}附近工地晚上十点后还在打桩，吵得睡不着。",
            "{place}边上的工地半夜施工问题依旧，请管一管。",
            "市民称{place}周边工地夜间违规作业，机器轰鸣。",
            "再次投诉{place}旁建筑工地凌晨施工扰民。",
        ),
    ),
    Problem(
        ("020201", "010102"),
        ("U-CGJ", "U-YH"),
        (
            "{place}垃圾站垃圾堆积多日没人清运，苍蝇蚊子多。",
            "反映{place}门口垃圾堆满了，气味很重，没人收。",
            "{place}的生活垃圾长期清运不及时，夏天臭气熏天。",
            "来电反映{place}垃圾桶满溢，环卫一周才来一次。",
            "{place}楼下垃圾堆放点脏乱，多次反映仍未改善。",
        ),
    ),
    Problem(
        ("040302", "020402"),
        ("U-GAJ-JJ", "U-CGJ"),
        (
            "{place}消防通道被私家车长期占用，出了事救护车进不来。",
            "反映{place}门口乱停车，堵住了消防通道。",
            "{place}楼下车辆乱停乱放，居民进出都困难。",
            "市民称{place}通道天天被车堵死，物业不管。",
            "再次反映{place}消防通道停满车辆，存在安全隐患。",
        ),
    ),
    Problem(
        ("010202", "010104"),
        ("U-ZJJ", "U-YT"),
        (
            "{place}顶楼漏水，墙面发霉，要求维修。",
            "反映{place}楼顶防水层破损，一下雨家里就渗水。",
            "{place}屋面渗漏多年，申请维修资金一直没有批。",
            "来电称{place}外墙和楼顶漏水，住户家中天花板掉落。",
            "{place}楼顶漏水问题再次反映，维修至今没有落实。",
        ),
    ),
    Problem(
        ("010502", "020301"),
        ("U-CGJ", "U-GDGS"),
        (
            "{place}门前路灯坏了好几个月，晚上一片漆黑。",
            "反映{place}附近路灯不亮，老人晚上摔倒过。",
            "{place}旁边几盏路灯长期不亮，树枝也挡住了灯。",
            "市民反映{place}路段路灯损坏，夜间出行不安全。",
            "{place}路灯至今未修复，请尽快处理。",
        ),
    ),
)


@dataclass(frozen=True)
class Planted:
    address: str  # the building, as the first order wrote it
    problem: int  # index in PROBLEMS
    numbers: tuple[str, ...]  # the planted orders' numbers


def plant_chronic(
    *,
    directory: Path,
    out: Path,
    count: int,
    start: date,
    months: int,
    seed: int,
    orders: tuple[int, int] = (5, 8),
) -> list[Planted]:
    """Appends ``count`` chronic problems (at most ``len(PROBLEMS)``) to
    ``out/orders.jsonl``, each ``orders`` (least, most) orders in at least three of
    the ``months`` months from ``start``, the last in the last month."""
    if not 1 <= count <= len(PROBLEMS):
        raise ValueError(f"count must be 1 to {len(PROBLEMS)}, not {count}")
    if months < 3:
        raise ValueError("a chronic problem needs a history of at least three months")
    rng = Random(seed)
    index = read_index(Path(directory))
    districts = sorted(index.towns)
    sequence = FIRST_PLANTED_SEQUENCE
    planted, lines = [], []
    for number, problem in enumerate(rng.sample(range(len(PROBLEMS)), count)):
        district = index.regions[districts[number % len(districts)]]
        town = rng.choice(index.towns[district.code])
        estate = rng.choice(pb.NAME_PIECES) + rng.choice(pb.ESTATE_SUFFIXES)
        building = rng.randint(1, 28)
        callers = [f"199{seed % 10}{number:02d}{i:05d}" for i in range(1, 4)]
        chosen_months = sorted(rng.sample(range(months - 1), rng.randint(2, months - 1)))
        chosen_months.append(months - 1)
        numbers, first_wording = [], rng.randrange(len(PROBLEMS[problem].wordings))
        for i in range(rng.randint(*orders)):
            month = chosen_months[i % len(chosen_months)]
            at = _moment(start, month, rng)
            sequence += 1
            order_number = f"{at.year}{sequence:07d}"
            numbers.append(order_number)
            address = _address(district.name, town.name, estate, building, rng)
            lines.append(
                _line(
                    number=order_number,
                    at=at,
                    problem=PROBLEMS[problem],
                    region=town.code,
                    address=address,
                    place=f"{estate}{building}栋",
                    phone=callers[i % 2] if i < 4 else callers[2] + str(i),
                    turn=i,
                    wording=first_wording + i,
                    rng=rng,
                )
            )
        planted.append(Planted(lines[-len(numbers)]["address"], problem, tuple(numbers)))
    with (Path(out) / "orders.jsonl").open("a", encoding="utf-8", newline="\n") as file:
        file.write("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))
    return planted


def planted_ranks(planted: list[Planted], proposed: list[set[str]]) -> list[int | None]:
    """Where each planted problem came in the miner's list (1 = first): the first
    candidate holding most of its orders (given as order numbers); None when none does."""
    ranks = []
    for problem in planted:
        wanted = set(problem.numbers)
        rank = next(
            (i for i, numbers in enumerate(proposed, 1) if 2 * len(numbers & wanted) > len(wanted)),
            None,
        )
        ranks.append(rank)
    return ranks


_CHINESE = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    if number < 10:
        return _CHINESE[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")


def _address(district: str, town: str, estate: str, building: int, rng: Random) -> str:
    """The building as citizens and operators write it, one of several ways."""
    unit, room = rng.randint(1, 4), rng.randint(1, 18) * 100 + rng.randint(1, 4)
    wide = str(building).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return rng.choice(
        (
            f"{district}{town}{estate}{building}栋{unit}单元{room}",
            f"{district}{estate}第{building}幢",
            f"{estate}{_chinese(building)}栋",
            f"{district}{town}{estate}{building}号楼{unit}单元{room}室",
            f"{estate}{wide}栋",
        )
    )


def _moment(start: date, month: int, rng: Random) -> datetime:
    index = start.year * 12 + start.month - 1 + month
    first = date(index // 12, index % 12 + 1, 1)
    day = first + timedelta(days=rng.randint(0, 26))
    return datetime(
        day.year, day.month, day.day, rng.randint(8, 20), rng.randint(0, 59), 0, 0, LOCAL_TZ
    )


def _line(
    *,
    number: str,
    at: datetime,
    problem: Problem,
    region: str,
    address: str,
    place: str,
    phone: str,
    turn: int,
    wording: int,
    rng: Random,
) -> dict:
    """One dispatched order: first sent to one unit and returned to the next every other
    time, reworked every third, called back unsatisfied more often than not."""
    first, second = problem.units[turn % 2], problem.units[(turn + 1) % 2]
    clock = [at + timedelta(minutes=turn)]

    def later(hours: float) -> str:
        clock[0] += timedelta(hours=hours)
        return clock[0].isoformat()

    events = [{"type": "dispatch", "at": later(0.5), "unit": first}]
    lead = first
    if turn % 2 == 1:
        events.append(
            {"type": "return", "at": later(1), "unit": first, "reason": "不属我单位职责。"}
        )
        events.append(
            {"type": "return_review", "at": later(1), "decision": "accept", "unit": second}
        )
        lead = second
    events.append({"type": "sign", "at": later(2), "unit": lead})
    events.append(
        {"type": "reply", "at": later(24), "unit": lead, "text": "已到现场查看，已督促整改。"}
    )
    if turn % 3 == 2:
        events.append(
            {"type": "review", "at": later(2), "decision": "rework", "note": "未说明整改结果。"}
        )
        events.append(
            {"type": "reply", "at": later(24), "unit": lead, "text": "已约谈责任方，限期整改。"}
        )
    events.append({"type": "review", "at": later(2), "decision": "accept"})
    result = "unsatisfied" if rng.random() < 0.6 else "basically_satisfied"
    events.append({"type": "callback", "at": later(12), "result": result})
    events.append({"type": "close", "at": later(1)})
    return {
        "number": number,
        "channel": "phone",
        "received_at": at.isoformat(),
        "appeal_type": "complaint",
        "category": rng.choice(problem.leaves),
        "region": region,
        "address": address,
        "content": problem.wordings[wording % len(problem.wordings)].format(place=place),
        "citizen": {"name": "李女士" if turn % 2 else "张先生", "phone": phone, "kind": "urban"},
        "disposition": "dispatched",
        "events": events,
    }
