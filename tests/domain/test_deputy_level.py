"""SPEC 7 (2026-12): the deputy's level is asked on 人大代表专席 and nowhere else."""

import pytest

from hotline.domain.enums import Channel
from hotline.domain.intake import InvalidIntake, check_deputy_level

NPC = Channel.NPC_DEPUTY_LINE


@pytest.mark.parametrize("given", ["county", "县（市、区）人大代表"])
def test_a_level_on_the_deputies_line_by_name_or_label(given):
    assert check_deputy_level(NPC, given) == "county"


def test_the_deputies_line_needs_a_level_unless_from_before_levels():
    with pytest.raises(InvalidIntake, match="人大代表专席的工单须选择人大代表级别") as refused:
        check_deputy_level(NPC, "")
    assert refused.value.field == "deputy_level"
    assert check_deputy_level(NPC, "", required=False) == ""


@pytest.mark.parametrize("required", [True, False])
def test_another_channel_takes_no_level(required):
    assert check_deputy_level(Channel.PHONE, "", required=required) == ""
    with pytest.raises(
        InvalidIntake, match="只有人大代表专席的工单登记人大代表级别（本工单为电话）"
    ):
        check_deputy_level(Channel.PHONE, "municipal", required=required)


def test_an_unknown_level_is_refused():
    with pytest.raises(InvalidIntake, match="人大代表级别「村代表」不在可选范围内"):
        check_deputy_level(NPC, "村代表")
