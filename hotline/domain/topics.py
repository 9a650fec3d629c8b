"""Topics (每月一题 / 一类事 / 主动治理): the rules of a topic's shape and its course.

A topic is one problem behind many orders (a building's water pressure, a street's night
market noise), taken up by the office with a lead unit and co-units and a plan. Once it
is solved the recurrence watch keeps looking for new orders of the same kind; closing
it ends the watch.
"""

from __future__ import annotations

from datetime import datetime

from hotline.domain.enums import TopicStatus
from hotline.domain.errors import DomainError


class TopicRefused(DomainError):
    code = "topic_refused"


LEAD_UNIT_REQUIRED = "每月一题必须指定牵头单位"
TITLE_REQUIRED = "请填写每月一题的题目"
TITLE_MAX = 120

# Which status may follow which. A solved topic whose problem comes back is taken up
# again (active); a closed one is finished for good.
_NEXT: dict[TopicStatus, frozenset[TopicStatus]] = {
    TopicStatus.ACTIVE: frozenset({TopicStatus.SOLVED, TopicStatus.CLOSED}),
    TopicStatus.SOLVED: frozenset({TopicStatus.ACTIVE, TopicStatus.CLOSED}),
    TopicStatus.CLOSED: frozenset(),
}


def check_shape(*, title: str, lead_unit_id: int | None, co_unit_ids: tuple[int, ...]) -> None:
    """A topic needs a title and a lead unit; its co-units do not repeat the lead."""
    if not title.strip():
        raise TopicRefused(TITLE_REQUIRED)
    if len(title.strip()) > TITLE_MAX:
        raise TopicRefused(f"题目不能超过{TITLE_MAX}个字")
    if lead_unit_id is None:
        raise TopicRefused(LEAD_UNIT_REQUIRED)
    if lead_unit_id in co_unit_ids:
        raise TopicRefused("牵头单位不能同时是配合单位")


def check_move(current: TopicStatus | str, new: TopicStatus | str) -> None:
    current, new = TopicStatus(current), TopicStatus(new)
    if new not in _NEXT[current]:
        raise TopicRefused(f"每月一题{current.label}，不能改为{new.label}")


def status_at(
    *, solved_at: datetime | None, closed_at: datetime | None, at: datetime
) -> TopicStatus:
    """The status a topic had at ``at`` (the report says where it stood at the period's
    end, not where it stands when someone reads the report later)."""
    if closed_at is not None and closed_at <= at:
        return TopicStatus.CLOSED
    if solved_at is not None and solved_at <= at:
        return TopicStatus.SOLVED
    return TopicStatus.ACTIVE


def keywords_of(text: str) -> tuple[str, ...]:
    """The keywords an office writes for a topic, separated by spaces, commas or 、;
    each once, in the order written."""
    for separator in "，,、；;\n\t":
        text = text.replace(separator, " ")
    return tuple(dict.fromkeys(word for word in text.split() if word))
