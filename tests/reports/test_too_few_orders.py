"""SPEC 5 (2026-12): a unit below the minimum of due orders has no grade; the document
lists it as 样本不足 and counts no grade change for it."""

from hotline.reports.content import TOO_FEW, _appendix, _assessment_summary


def _item(unit, grade, previous=None):
    return {
        "unit": unit, "due": 1, "handled": 0, "handled_rate": 0.0, "overdue": 0,
        "on_time_rate": 0.0, "rework": 0, "rework_rate": 0.0, "spot_unsatisfied": 0,
        "satisfaction_rate": 1.0, "score": 40.0, "grade": grade, "previous_grade": previous,
    }  # fmt: skip


def test_a_row_without_a_grade_is_too_few_orders_in_the_summary_and_the_appendix():
    document = {
        "assessment": [_item("市审计局", None, "A"), _item("岳塘区", "E")],
        "idle_units": [],
    }
    text = " ".join(str(block) for block in _assessment_summary(document))
    assert f"{TOO_FEW}1家" in text and "E类1家" in text
    assert "市审计局（由" not in text
    appendix = " ".join(str(block) for block in _appendix(document, "附件"))
    assert TOO_FEW in appendix
