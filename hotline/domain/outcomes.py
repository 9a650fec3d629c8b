"""What an action did, in the words the person who took it reads next (issue 17: approve
and rework must not both say "答复审核已完成").

``told(event, names)`` reads the event the action recorded, so the message follows the
decision actually taken: 审核通过 or 已退回返工, 退单已同意并改派 or 退单不予同意.
``names`` gives units' names by code (and people's as "user:<user name>").
"""

from collections.abc import Callable, Mapping

from hotline.domain import events as ev
from hotline.domain.enums import (
    AppealDecision,
    ExtensionDecision,
    PauseDecision,
    ReturnDecision,
    ReviewDecision,
)


def _unit(code: str, names: Mapping[str, str]) -> str:
    return f"「{names.get(code, code)}」"


def _with_co_units(event, names: Mapping[str, str]) -> str:
    if not event.co_units:
        return ""
    return "，协办单位" + "、".join(_unit(code, names) for code in event.co_units)


def _return_review(event: ev.ReturnReview, names) -> str:
    if event.decision is ReturnDecision.REFUSE:
        return "退单不予同意，由原承办单位继续办理"
    if event.unit:
        return f"退单已同意并改派至{_unit(event.unit, names)}{_with_co_units(event, names)}"
    return "退单已同意，等待重新派单"


def _callback(event: ev.Callback, names) -> str:
    said = f"回访已记录：{event.result.label}"
    return said + "，已退回返工" if event.rework else said


_TOLD: dict[type[ev.Event], Callable[[ev.Event, Mapping[str, str]], str]] = {
    ev.Register: lambda e, n: "已登记，等待派单",
    ev.Answer: lambda e, n: "已当场答复并归档",
    ev.Reject: lambda e, n: f"不予受理（{e.reason.label}）",
    ev.MarkHarassment: lambda e, n: "已记录为骚扰来电",
    ev.MarkInvalid: lambda e, n: "已记录为无效来电",
    ev.Merge: lambda e, n: f"已并入工单 {e.into}",
    ev.Split: lambda e, n: f"已拆为 {len(e.parts)} 张工单：{'、'.join(e.parts)}",
    ev.Dispatch: lambda e, n: f"已转办至{_unit(e.unit, n)}{_with_co_units(e, n)}",
    ev.Redispatch: lambda e, n: f"已改派至{_unit(e.unit, n)}{_with_co_units(e, n)}",
    ev.Designate: lambda e, n: f"已指定{_unit(e.unit, n)}承办{_with_co_units(e, n)}",
    ev.Sign: lambda e, n: "已签收，开始计算办理时限",
    ev.Return: lambda e, n: "已退单，等待热线办审核",
    ev.ReturnReview: _return_review,
    ev.SubDispatch: lambda e, n: f"已派给下级单位{_unit(e.sub_unit, n)}",
    ev.ExtensionRequest: lambda e, n: "延期申请已提交，等待审批",
    ev.ExtensionDecide: lambda e, n: (
        "延期已同意" if e.decision is ExtensionDecision.GRANTED else "延期不予同意"
    ),
    ev.Pause: lambda e, n: "暂停计时申请已提交，等待审批" if e.approval else "已暂停计时",
    ev.PauseDecide: lambda e, n: (
        "暂停已同意，计时停止" if e.decision is PauseDecision.GRANTED else "暂停不予同意，继续计时"
    ),
    ev.Resume: lambda e, n: "已恢复计时",
    ev.ConsultationOpen: lambda e, n: "已发起会商",
    ev.ConsultationClose: lambda e, n: "会商结论已记录",
    ev.Reply: lambda e, n: "答复已提交，等待审核",
    ev.CoReply: lambda e, n: "协办意见已提交",
    ev.Review: lambda e, n: "审核通过" if e.decision is ReviewDecision.ACCEPT else "已退回返工",
    ev.Callback: _callback,
    ev.CallbackAssign: lambda e, n: (
        f"回访已分配给{n.get(f'user:{e.agent}', e.agent)}" if e.agent else "回访已退回未分配"
    ),
    ev.SpotCheck: lambda e, n: f"抽查已记录：{e.result.label}",
    ev.Appeal: lambda e, n: "申诉成立" if e.decision is AppealDecision.UPHELD else "申诉驳回",
    ev.AppealFile: lambda e, n: "申诉已提交，等待热线办裁定",
    ev.Supervise: lambda e, n: f"已{e.level.label}",
    ev.SupervisionReply: lambda e, n: "督办回复已提交",
    ev.SupervisionEscalate: lambda e, n: f"督办已升级为{e.level.label}",
    ev.Instruct: lambda e, n: "领导批示已记录",
    ev.Close: lambda e, n: "已归档",
    ev.Recalendar: lambda e, n: "时限已按录入的节假日安排重算",
    ev.RecordViolation: lambda e, n: f"已记录{_unit(e.unit, n)}违规：{e.kind.label}",
    ev.DecideViolation: lambda e, n: f"违规处理已决定：{e.outcome.label}",
    ev.Contact: lambda e, n: f"已记录联系诉求人：{e.outcome.label}",
    ev.ThreeWayRequest: lambda e, n: "已申请三方通话，等待热线接通",
    ev.ThreeWayCall: lambda e, n: f"三方通话已记录：{e.outcome.label}",
    ev.Correct: lambda e, n: f"{e.field.label}已修正",
    ev.Transfer: lambda e, n: f"已即时转办{e.to.label}，工单归档",
    ev.Classify: lambda e, n: "受理审核已分类，请给出受理结果",
}


def told(event: ev.Event, names: Mapping[str, str]) -> str:
    return _TOLD[type(event)](event, names)
