"""Assessment classes (分档分类评价, SPEC 5 2026-12 fairness): units are ranked within
their class, so that a district government is not ranked against a water company.

The office's setting maps unit codes or unit kinds to a class name; a unit's own code
wins over its kind, and a kind the setting does not name keeps its default class.
"""

from collections.abc import Mapping

# By unit kind (``directory.Unit.Kind`` values), the classes the seeds' offices use.
DEFAULT_CLASSES: Mapping[str, str] = {
    "district_government": "区县政府",
    "town_government": "区县政府",
    "department": "市直部门",
    "central_agency": "市直部门",
    "enterprise": "公共企事业单位",
    "school": "公共企事业单位",
}
OTHER_CLASS = "其他单位"


def unit_class(*, code: str, kind: str, classes: Mapping[str, str]) -> str:
    """The class of the unit ``code`` of ``kind`` under the office's ``classes``."""
    return classes.get(code) or classes.get(kind) or DEFAULT_CLASSES.get(kind, OTHER_CLASS)
