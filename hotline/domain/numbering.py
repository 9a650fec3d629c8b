"""Order numbers (案件公文号): the year followed by a 7-digit yearly sequence.

Numbers may have gaps (a rolled-back intake burns its number) but never repeat;
uniqueness under concurrent intake is the sequence store's job, not this module's.
"""

import re

from hotline.domain.errors import DomainError

SEQUENCE_DIGITS = 7
_PATTERN = re.compile(r"^(\d{4})(\d{7})$")


class InvalidOrderNumber(DomainError):
    code = "invalid_order_number"


class SequenceExhausted(DomainError):
    code = "sequence_exhausted"


def format_number(year: int, sequence: int) -> str:
    if not 1 <= sequence < 10**SEQUENCE_DIGITS:
        raise SequenceExhausted(f"{year} 年工单编号已用尽（序号 {sequence}）")
    return f"{year:04d}{sequence:0{SEQUENCE_DIGITS}d}"


def parse_number(number: str) -> tuple[int, int]:
    match = _PATTERN.fullmatch(number or "")
    if not match or int(match.group(2)) == 0:
        raise InvalidOrderNumber(
            f"工单编号「{number}」格式不正确，应为年份加7位序号，如 20200000805"
        )
    return int(match.group(1)), int(match.group(2))
