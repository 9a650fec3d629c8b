"""What the supervisor writes into a report before publishing it (SPEC 7): the title,
the narrative sections 领导关怀 / 通报表扬 / 经验做法 / 存在问题 / 下一步工作要求 and the
chosen cases.

The figures come from the statistics document; everything here is text a person wrote
(prefilled from the order where it can be), kept apart so that the same document can be
published again with a corrected narrative as a new version.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class CaseKind(StrEnum):
    """How the report presents a case: the seeds print good work as 优秀案例 and
    instructive ones as 典型案例."""

    EXCELLENT = "excellent"
    TYPICAL = "typical"

    @property
    def label(self) -> str:
        return {CaseKind.EXCELLENT: "优秀案例", CaseKind.TYPICAL: "典型案例"}[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(kind.value, kind.label) for kind in cls]


@dataclass(frozen=True)
class Case:
    """One case of 案例摘选, laid out as the seeds do: 来电反映 / 处理结果 / 回访."""

    number: str  # order number (案件公文号)
    kind: CaseKind = CaseKind.TYPICAL
    complaint: str = ""  # 来电反映
    result: str = ""  # 处理结果
    callback: str = ""  # 回访
    title: str = ""  # optional headline, as the Xiangtan 优秀案例 have

    def as_dict(self) -> dict:
        return asdict(self) | {"kind": self.kind.value}

    @classmethod
    def from_dict(cls, data: dict) -> Case:
        return cls(
            number=str(data["number"]),
            kind=CaseKind(data.get("kind", CaseKind.TYPICAL.value)),
            complaint=data.get("complaint", ""),
            result=data.get("result", ""),
            callback=data.get("callback", ""),
            title=data.get("title", ""),
        )


@dataclass(frozen=True)
class Editorial:
    title: str = ""
    experience: str = ""  # 经验做法
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下一步工作要求
    cases: tuple[Case, ...] = field(default_factory=tuple)
    # SPEC 7 (2026-12): the seeds' editable parts 领导关怀 (Yueyang) and 通报表扬 (Changsha).
    care: str = ""
    praise: str = ""

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "experience": self.experience,
            "problems": self.problems,
            "next_steps": self.next_steps,
            "cases": [case.as_dict() for case in self.cases],
            "care": self.care,
            "praise": self.praise,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Editorial:
        return cls(
            title=data.get("title", ""),
            experience=data.get("experience", ""),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
            cases=tuple(Case.from_dict(case) for case in data.get("cases", ())),
            care=data.get("care", ""),
            praise=data.get("praise", ""),
        )

    def cases_of(self, kind: CaseKind) -> list[Case]:
        return [case for case in self.cases if case.kind == kind]
