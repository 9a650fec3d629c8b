"""Discipline (SPEC 6): the callback's questions and the 二传手 text check at review."""

import pytest

from hotline.domain import events as ev
from hotline.domain.discipline import forwarding_only, violations_from_callback
from hotline.domain.enums import CallbackResult, ViolationKind
from tests.domain.test_supervision import at

FORWARDING_ONLY = [
    "该问题已转交区城管局处理，请耐心等待。",
    "您反映的问题已转相关部门办理。",
    "我单位已将该诉求转交至雨湖区城正街街道办事处，由其负责处理，待处理结果出来后再告知市民。",
    "现已移交区市场监管局核查。",
    "已交由社区跟进。",
    "收到工单后，我局已经转派执法大队处理，后续将及时反馈。",
    "已转交 物业公司\n处理",
    "经研究，已转交属地街道办理。",  # "经研究" is no finding
]

DID_SOMETHING = [
    "已转交社区处理。经社区现场核实，已于3月5日清理完毕，并电话告知市民。",
    "收到工单后已转交区住建局，住建局已组织人员现场维修，问题已解决。",
    "经核实，该路段路灯损坏系线路老化所致，已更换线路，路灯恢复正常。",
    "已联系市民，市民表示理解。",
    "我局执法人员到现场检查，责令商户整改。",
    "已处理。",
    "处理结果：已为市民办理退费手续。",
    "该事项不属于我单位职责，建议市民向区人社局反映。",
    "已转好的社保关系已于3月5日办理完毕。",
    "",
]


@pytest.mark.parametrize("text", FORWARDING_ONLY)
def test_a_reply_that_only_passes_the_matter_on_is_flagged(text):
    assert forwarding_only(text)


@pytest.mark.parametrize("text", DID_SOMETHING)
def test_a_reply_with_an_action_or_a_result_is_not_flagged(text):
    assert not forwarding_only(text)


def test_a_promise_to_tell_the_citizen_later_is_no_action():
    assert forwarding_only("已转交区环保局调查，待有结果后将告知市民。")
    assert not forwarding_only("已转交区环保局调查，已告知市民。")


def test_the_callbacks_questions_raise_pressure_and_leak():
    callback = ev.Callback(at(1), result=CallbackResult.UNSATISFIED, pressured=True, leaked=True)
    assert violations_from_callback(callback) == [ViolationKind.PRESSURE, ViolationKind.LEAK]
    assert violations_from_callback(ev.Callback(at(1))) == []
