"""Outbound campaigns (外呼任务, SPEC 8): a checked list of numbers, a script of
questions, calls shared among agents, each call's result and answers.

The Longshan epidemic screening (5 000 people in three days) is the example: the office
uploads the list, writes the questions, shares the numbers among the agents, and each
agent records per call whether the person was reached and what they answered.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline.domain.enums import Vocabulary
from hotline.domain.errors import DomainError
from hotline.domain.text_input import free_text, phone_input, single_line

MAX_TARGETS = 50_000
MAX_QUESTIONS = 20
QUESTION_MAX = 200
ANSWER_MAX = 200
NAME_MAX = 50


class InvalidCampaign(DomainError):
    code = "invalid_campaign"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class CampaignResult(Vocabulary):
    COMPLETED = "completed", "已完成"
    UNREACHABLE = "unreachable", "未接通"
    REFUSED = "refused", "拒访"
    WRONG_NUMBER = "wrong_number", "空号/错号"


@dataclass(frozen=True)
class Target:
    line: int
    phone: str
    name: str = ""
    note: str = ""


def read_targets(rows: Iterable[Sequence[object]]) -> list[Target]:
    """The numbers of an uploaded table: a header row naming ``电话``/``phone`` (and
    optionally ``姓名``/``name``, ``备注``/``note``), then one person a row. Every problem
    is refused with its line; a number listed twice is refused too."""
    rows = iter(rows)
    header = next(rows, None)
    if header is None:
        raise InvalidCampaign("名单是空的：第 1 行应为表头（电话、姓名、备注）", field="file")
    names = [single_line(str(cell or ""), 20).lower() for cell in header]
    columns = {}
    for key, aliases in {
        "phone": ("电话", "phone", "号码", "手机"),
        "name": ("姓名", "name"),
        "note": ("备注", "note"),
    }.items():
        found = next((i for i, n in enumerate(names) if n in aliases), None)
        if found is not None:
            columns[key] = found
    if "phone" not in columns:
        raise InvalidCampaign("第 1 行表头须有「电话」一列", field="file")
    targets: list[Target] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        cells = ["" if c is None else str(c) for c in row]
        if not any(c.strip() for c in cells):
            continue

        def cell(key: str, limit: int, cells=cells) -> str:
            at = columns.get(key)
            return single_line(cells[at], limit) if at is not None and at < len(cells) else ""

        typed = cell("phone", 40)
        if typed.endswith(".0"):  # a number typed into a spreadsheet cell
            typed = typed[:-2]
        phone = phone_input(typed)
        if phone is None:
            raise InvalidCampaign(f"第 {line} 行：电话号码「{typed}」不正确", field="file")
        if phone in seen:
            raise InvalidCampaign(
                f"第 {line} 行：电话号码 {phone} 与第 {seen[phone]} 行重复", field="file"
            )
        seen[phone] = line
        targets.append(Target(line, phone, cell("name", NAME_MAX), cell("note", 200)))
        if len(targets) > MAX_TARGETS:
            raise InvalidCampaign(f"名单最多 {MAX_TARGETS} 个号码", field="file")
    if not targets:
        raise InvalidCampaign("名单中没有号码", field="file")
    return targets


def read_questions(text: str) -> list[str]:
    """The script: one question a line, blank lines skipped."""
    questions = [free_text(line, QUESTION_MAX + 1) for line in text.splitlines()]
    questions = [q for q in questions if q]
    if not questions:
        raise InvalidCampaign("请至少填写一个问题（每行一个）", field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise InvalidCampaign(f"问题最多 {MAX_QUESTIONS} 个", field="questions")
    for n, question in enumerate(questions, start=1):
        if len(question) > QUESTION_MAX:
            raise InvalidCampaign(f"第 {n} 个问题超过 {QUESTION_MAX} 字", field="questions")
    return questions


def shares(count: int, agents: int) -> list[int]:
    """How many of ``count`` unassigned numbers each of ``agents`` gets: as even as it
    can be, the first agents one more."""
    if agents <= 0:
        raise InvalidCampaign("请至少选择一名话务员", field="agents")
    base, extra = divmod(count, agents)
    return [base + (1 if i < extra else 0) for i in range(agents)]


def check_answers(result: CampaignResult, answers: Sequence[str], questions: int) -> list[str]:
    """A completed call answers every question; other results carry no answers."""
    cleaned = [free_text(a, ANSWER_MAX).replace("\n", " ") for a in answers][:questions]
    cleaned += [""] * (questions - len(cleaned))
    if result is CampaignResult.COMPLETED:
        missing = [str(n) for n, a in enumerate(cleaned, start=1) if not a]
        if missing:
            raise InvalidCampaign(f"请填写第 {'、'.join(missing)} 题的回答", field="answers")
        return cleaned
    return [""] * questions
