"""SPEC 5 (2026-12 fairness): units are ranked within their class (分档分类)."""

from hotline.domain.assessment_classes import OTHER_CLASS, unit_class


def test_by_default_a_unit_is_classed_by_its_kind():
    assert unit_class(code="U1", kind="district_government", classes={}) == "区县政府"
    assert unit_class(code="U1", kind="department", classes={}) == "市直部门"
    assert unit_class(code="U1", kind="enterprise", classes={}) == "公共企事业单位"
    assert unit_class(code="U1", kind="unheard_of", classes={}) == OTHER_CLASS


def test_the_office_classes_a_kind_or_one_unit_and_the_unit_wins():
    classes = {"department": "执法部门", "U7": "重点单位"}
    assert unit_class(code="U1", kind="department", classes=classes) == "执法部门"
    assert unit_class(code="U7", kind="department", classes=classes) == "重点单位"
