"""The report as a 公文 (SPEC 7, 2026-12; GB/T 9704-2012): who issues it, under which
文号, to whom and to whom else. These are office settings; the rules here decide what a
setting may say and what the 文号 of a published report is.

A 文号 is the issuing office's code, the year in 〔〕 and the sequence number of the
year's documents (潭数〔2024〕12号). The office types it as a pattern with two
placeholders, ``{year}`` and ``{n}``: 潭数〔{year}〕{n}号.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, replace
from datetime import date

from hotline.domain.errors import DomainError

PLACEHOLDERS = ("year", "n")
DEFAULT_HOTLINE = "12345政务服务便民热线"
DEFAULT_ISSUER = "12345政务服务便民热线管理办公室"
DEFAULT_PATTERN = "热线〔{year}〕{n}号"
DEFAULT_RECIPIENTS = "各成员单位"
# Longer and the 标志 no longer fits one line of the page in 小标宋 (GB/T 9704 7.2.1).
LETTERHEAD_MAX = 22


class InvalidLetterhead(DomainError):
    code = "invalid_letterhead"


def check_pattern(pattern: str) -> str:
    """The pattern as typed, or a Chinese refusal saying what is wrong with it."""
    pattern = pattern.strip()
    if not pattern:
        raise InvalidLetterhead("文号格式不能为空，例如：潭数〔{year}〕{n}号")
    try:
        parts = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(pattern)]
    except ValueError:
        raise InvalidLetterhead(
            f"文号格式「{pattern}」的大括号不成对：占位符须写成 {{year}} 或 {{n}}"
        ) from None
    fields = [name for name, _, _ in parts if name is not None]
    unknown = [name for name in fields if name not in PLACEHOLDERS]
    if unknown:
        raise InvalidLetterhead(
            f"文号格式「{pattern}」中有未知的占位符「{{{unknown[0]}}}」，只能使用 {{year}}（年份）"
            "和 {n}（发文顺序号）"
        )
    if any(spec or conv for name, spec, conv in parts if name):
        raise InvalidLetterhead(
            f"文号格式「{pattern}」的占位符不能带格式说明，只写 {{year}} 或 {{n}}"
        )
    for name, meaning in (("n", "发文顺序号"), ("year", "年份")):
        if name not in fields:
            raise InvalidLetterhead(f"文号格式「{pattern}」缺少 {{{name}}}（{meaning}）")
    return pattern


def document_number(pattern: str, *, year: int, sequence: int) -> str:
    """潭数〔{year}〕{n}号 → 潭数〔2024〕12号 (GB/T 9704 7.2.2: no leading zeros)."""
    return check_pattern(pattern).format(year=year, n=sequence)


@dataclass(frozen=True)
class Letterhead:
    """The office's settings for the 公文 and, once published, its 文号 and 成文日期."""

    hotline: str = DEFAULT_HOTLINE  # the title's name: 湘潭市12345政务服务便民热线
    issuer: str = DEFAULT_ISSUER  # 发文机关署名 (落款) and 印发机关
    mark: str = ""  # 发文机关标志; the issuer's name when empty
    number_pattern: str = DEFAULT_PATTERN
    recipients: str = DEFAULT_RECIPIENTS  # 主送机关
    copy_to: str = ""  # 抄送机关; no 抄送 line when empty
    number: str = ""  # the 文号, given at publishing
    issued_on: date | None = None  # 成文日期, the publishing day

    def __post_init__(self):
        for name, label in (
            ("hotline", "热线名称"),
            ("issuer", "发文机关"),
            ("recipients", "主送机关"),
        ):
            if not getattr(self, name).strip():
                raise InvalidLetterhead(f"{label}不能为空")
        if len(self.shown_mark) > LETTERHEAD_MAX:
            raise InvalidLetterhead(f"发文机关标志不能超过 {LETTERHEAD_MAX} 个字（一行排下）")
        check_pattern(self.number_pattern)

    @property
    def shown_mark(self) -> str:
        return (self.mark or self.issuer).strip()

    def issued(self, *, on: date, sequence: int) -> Letterhead:
        """The letterhead of a report published ``on``, the year's ``sequence``-th."""
        number = document_number(self.number_pattern, year=on.year, sequence=sequence)
        return replace(self, number=number, issued_on=on)

    def as_dict(self) -> dict:
        return {
            "hotline": self.hotline,
            "issuer": self.issuer,
            "mark": self.mark,
            "number_pattern": self.number_pattern,
            "recipients": self.recipients,
            "copy_to": self.copy_to,
            "number": self.number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Letterhead:
        issued = data.get("issued_on")
        return cls(
            hotline=data.get("hotline") or DEFAULT_HOTLINE,
            issuer=data.get("issuer") or DEFAULT_ISSUER,
            mark=data.get("mark", ""),
            number_pattern=data.get("number_pattern") or DEFAULT_PATTERN,
            recipients=data.get("recipients") or DEFAULT_RECIPIENTS,
            copy_to=data.get("copy_to", ""),
            number=data.get("number", ""),
            issued_on=date.fromisoformat(issued) if issued else None,
        )
