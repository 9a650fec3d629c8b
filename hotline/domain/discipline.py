"""Discipline rules (SPEC 6): what a callback reveals about the unit's conduct, and the
text check that flags a reply which only forwards the matter (二传手)."""

import re

from hotline.domain.enums import Solved, ViolationKind
from hotline.domain.events import Callback


def violations_from_callback(
    callback: Callback, *, reply_resolved: bool | None = None
) -> list[ViolationKind]:
    """A citizen's report of pressure or a leak raises a violation on the unit; so does
    a reply that said the problem was resolved when the citizen says it was not
    (答复与回访不符). A reply that said nothing either way (older data) raises none."""
    found = []
    if callback.pressured:
        found.append(ViolationKind.PRESSURE)
    if callback.leaked:
        found.append(ViolationKind.LEAK)
    if reply_resolved is True and callback.solved is Solved.NOT_SOLVED:
        found.append(ViolationKind.CONTRADICTION)
    return found


# "已转交区城管局处理", "已转相关部门办理", "现已移交街道核查", "已交由社区负责": a done
# passing-on, with (inside the clause) what the receiver is to do. A bare "转" counts
# only with that task after it ("已转好" is no passing-on). The task is looked for up to
# the next "已", which starts what someone did.
_CLAUSE = r"[^。，,；;！!？?]"
_GAP = r"[^。，,；;！!？?已]"
_TASK = r"(?:处理|办理|核实|核查|调查|跟进|负责|落实|处置|解决|答复|回复)"
_FORWARDED = re.compile(
    rf"已{_CLAUSE}{{0,12}}?(?:转交|转给|转至|转到|转送|转办|转派|移交|移送|交由)"
    rf"(?:{_GAP}{{0,30}}?{_TASK})?"
    rf"|已{_CLAUSE}{{0,12}}?转{_GAP}{{0,30}}?{_TASK}"
)

# What the unit itself did or found: a finished action or a result. Promises ("将…",
# "待…后告知") do not count, so these are past forms ("已…", "经…") and result nouns.
_DONE = re.compile(
    r"已(?:经)?(?:于[^。，,；;]{0,12})?(?:整改|修复|修好|解决|清理|清除|拆除|落实|维修|完成|"
    r"退还|退款|退费|发放|疏通|更换|恢复|办结|处理完毕|处理到位|处置|查处|处罚|罚款|立案|约谈|"
    r"告知|联系|电话联系|答复|回复市民|协调|组织|安排[^。，,；;]{0,8}(?:到场|上门|现场|维修|清理)|"
    r"到场|上门|核实|调查|督促|责令|取缔|关停|补办|办理完毕|签订|赔偿)"
    r"|经(?:核实|核查|调查|查|现场|了解|走访|协调|检测|测量)"
    r"|(?:到|赴|前往)现场|现场(?:核实|查看|勘查|检查|处置|调查)"
    r"|(?:处理|办理|调查|核查)结果[为是:：]|(?:问题|诉求)已(?:得到)?(?:解决|处理|落实)"
)


def forwarding_only(text: str) -> bool:
    """SPEC 6 (2026-12), 二传手: the reply says the matter was passed on to someone else
    and says nothing the unit did or found. A flag for the reviewer to confirm, not a
    verdict: a clause of action anywhere in the reply clears it."""
    compact = re.sub(r"\s+", "", text)
    forwarded = _FORWARDED.search(compact)
    if forwarded is None:
        return False
    # The passing-on itself ("已转交街道核实") is not an action of the unit's own.
    rest = _FORWARDED.sub("。", compact)
    return _DONE.search(rest) is None
