"""One endpoint per thing that can be done to an order: ``POST /api/orders/{number}/<slug>/``.

Each class names its input and the one service it calls; the shared ``post`` finds
the order through the viewer's selector (404 for an order the viewer may not see),
passes ``version`` on as ``expected_version`` and answers with the order's detail.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api.fields import (
    CallbackAgentField,
    CategoryCodeField,
    DateIn,
    FreeText,
    OrderNumberField,
    RegionCodeField,
    SingleLineText,
    UnitCodeField,
    VersionField,
)
from hotline.api.order_output import OrderDetailOut
from hotline.api.orders import IntakeIn, detail, intake_from, visible_order
from hotline.api.schema import NUMBER, WRITE_ERRORS
from hotline.domain.actions import Action
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AppealType,
    CallbackResult,
    ContactOutcome,
    ContactWay,
    CorrectionField,
    EmergencyService,
    ExtensionDecision,
    PauseDecision,
    RejectReason,
    ReturnDecision,
    ReviewDecision,
    Solved,
    SupervisionLevel,
)
from hotline.domain.intake import ADDRESS_MAX
from hotline.domain.permissions import require
from hotline.orders.models import Order
from hotline.orders.selectors import order_get
from hotline.orders.services import (
    callback_assignment,
    correction,
    dispatch,
    handling,
    intake,
    review,
    supervision,
)

TEXT_MAX = 5000


def _text(what: str, **kwargs) -> FreeText:
    return FreeText(max_length=TEXT_MAX, help_text=what, **kwargs)


def _choice(vocabulary, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=vocabulary.choices(), **kwargs)


class VersionIn(serializers.Serializer):
    version = VersionField()


def _text_input(name: str, what: str) -> type[serializers.Serializer]:
    """The input of an action that takes one text besides the version."""
    return type("Input", (VersionIn,), {name: _text(what)})


class OrderActionApi(APIView):
    """The shared shape of every action; subclasses set ``slug``, ``Input``, ``service``."""

    slug = ""
    summary = ""
    # The action's one name (the slug with "_" for "-"): its permission and its service's.
    action: Action
    Input: type[serializers.Serializer] = VersionIn
    service = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        name = cls.slug.replace("-", "_")
        cls.action = Action(name) if cls.slug else None
        if "Input" in cls.__dict__:
            # Each action's own input gets its own name in the OpenAPI components.
            cls.Input.__name__ = cls.Input.__qualname__ = cls.__name__.removesuffix("Api") + "In"
        extend_schema_view(
            post=extend_schema(
                operation_id=f"orders_{name}",
                summary=cls.summary,
                description=(cls.__doc__ or "").strip(),
                parameters=[NUMBER],
                request=cls.Input,
                responses={200: OrderDetailOut, **WRITE_ERRORS},
                tags=["order actions"],
            )
        )(cls)

    def post(self, request, number: str):
        order = visible_order(number, request.user)
        # A role that may never take this action hears so before its input is read.
        require(request.user.role, self.action)
        data = self.Input(data=request.data, context={"viewer": request.user})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version", None)
        result = self.act(order=order, actor=request.user, expected_version=version, **fields)
        try:
            shown = order_get(number=result.number, viewer=request.user)
        except Order.DoesNotExist:  # the action took the order out of the viewer's sight
            shown = result
        return Response(detail(shown, request.user))

    def act(self, **arguments) -> Order:
        return type(self).service(**arguments)


# --- intake -------------------------------------------------------------------------


class AnswerApi(OrderActionApi):
    """当场答复：话务员当场答复（通常依据知识库），工单随即办结归档。网上渠道的工单可写明
    答复内容（text），经原渠道回复市民：门户网站查询时显示，接口与 Open311 的状态说明中给出。"""

    slug, summary, service = "answer", "当场答复", intake.order_answer

    class Input(VersionIn):
        article = SingleLineText(
            max_length=200, required=False, allow_blank=True, default="", help_text="知识库条目"
        )
        text = _text(
            "网上答复内容（经原渠道回复市民）", required=False, allow_blank=True, default=""
        )


class TransferApi(OrderActionApi):
    """即时转办：属110/119/120/122的紧急事项转交相应部门（三方通话），工单随即归档，
    统计为即时转办，不计入不予受理。"""

    slug, summary, service = "transfer", "即时转办", intake.order_transfer

    class Input(VersionIn):
        to = serializers.ChoiceField(
            choices=EmergencyService.choices(),
            help_text="转办对象：110、119、120、122",
            error_messages={"invalid_choice": "转办对象只能是 110、119、120 或 122"},
        )
        note = _text("转办说明（接警员、三方通话情况）")


class ClassifyApi(OrderActionApi):
    """受理审核：网上渠道、110转入等工单进入话务员审核队列，由话务员确定事项分类、区域和
    诉求类型（可更正地址），此后按来电一样给出受理结果。"""

    slug, summary, service = "classify", "受理审核", intake.order_classify

    class Input(VersionIn):
        category = CategoryCodeField(help_text="事项分类编码")
        region = RegionCodeField(help_text="区划代码")
        appeal_type = _choice(AppealType)
        address = SingleLineText(
            max_length=ADDRESS_MAX,
            required=False,
            allow_blank=True,
            default="",
            help_text="更正后的地址（不更正留空）",
        )


class RejectApi(OrderActionApi):
    """不予受理，须给出理由。"""

    slug, summary, service = "reject", "不予受理", intake.order_reject

    class Input(VersionIn):
        reason = _choice(RejectReason)


class HarassmentApi(OrderActionApi):
    """标记为骚扰来电（不回访）。"""

    slug, summary, service = "harassment", "骚扰来电", intake.order_harassment


class InvalidApi(OrderActionApi):
    """标记为无效来电（不回访）。"""

    slug, summary, service = "invalid", "无效来电", intake.order_invalid


class MergeApi(OrderActionApi):
    """并单：并入同一事项的在办工单。"""

    slug, summary, service = "merge", "并单", intake.order_merge

    class Input(VersionIn):
        into = OrderNumberField(help_text="并入的在办工单编号")


class SplitApi(OrderActionApi):
    """拆单：一次来电的多项诉求拆为多张工单，共用来电；返回原工单（split_into 列出新工单）。"""

    slug, summary = "split", "拆单"

    class Input(VersionIn):
        parts = IntakeIn(many=True, allow_empty=False, max_length=20)

    def act(self, *, order, actor, expected_version, parts):
        intake.order_split(
            order=order,
            parts=[intake_from(part) for part in parts],
            actor=actor,
            expected_version=expected_version,
        )
        return order


# --- dispatch -------------------------------------------------------------------------


class AssignIn(VersionIn):
    lead = UnitCodeField(help_text="主办单位编码")
    co_units = UnitCodeField(many=True, required=False, default=list, help_text="协办单位编码")


class DispatchApi(OrderActionApi):
    """转办：指定主办单位和协办单位。"""

    slug, summary, service, Input = "dispatch", "转办", dispatch.order_dispatch, AssignIn


class RedispatchApi(OrderActionApi):
    """改派：派单员改派到其他单位。"""

    slug, summary, service, Input = "redispatch", "改派", dispatch.order_redispatch, AssignIn


class DesignateApi(OrderActionApi):
    """疑难工单由热线办指定主办、协办单位（此后不能再退单）。"""

    slug, summary, service, Input = "designate", "指定承办", dispatch.order_designate, AssignIn


class ReturnApi(OrderActionApi):
    """退单：承办单位在签收前说明理由退回。"""

    slug, summary, service = "return", "退单", dispatch.order_return

    Input = _text_input("reason", "退单理由")


class ReturnReviewApi(OrderActionApi):
    """退单审核：同意（改派给 lead）或驳回。"""

    slug, summary, service = "return-review", "退单审核", dispatch.order_return_review

    class Input(VersionIn):
        decision = _choice(ReturnDecision)
        lead = UnitCodeField(
            required=False, allow_null=True, default=None, help_text="同意退单时改派的单位"
        )
        co_units = UnitCodeField(many=True, required=False, default=list)


class SubDispatchApi(OrderActionApi):
    """二级派单：承办单位交下级单位办理，仍对热线负责。"""

    slug, summary, service = "sub-dispatch", "二级派单", dispatch.order_sub_dispatch

    class Input(VersionIn):
        sub_unit = UnitCodeField(help_text="下级单位编码")


class ConsultationOpenApi(OrderActionApi):
    """疑难工单发起会商（期间暂停计时）。"""

    slug, summary, service = "consultation-open", "发起会商", dispatch.order_consultation_open

    Input = _text_input("note", "会商事由")


class ConsultationCloseApi(OrderActionApi):
    """记录会商结论，恢复计时。"""

    slug, summary, service = "consultation-close", "会商结论", dispatch.order_consultation_close

    Input = _text_input("decision", "会商结论")


# --- handling -------------------------------------------------------------------------


class SignApi(OrderActionApi):
    """签收：主办单位签收，确定办理时限。"""

    slug, summary, service = "sign", "签收", handling.order_sign


class ExtensionRequestApi(OrderActionApi):
    """申请延期：说明理由和申请的办理期限。"""

    slug, summary, service = "extension-request", "申请延期", handling.order_extension_request

    class Input(VersionIn):
        until = DateIn(help_text="申请延至的日期（当日 23:59:59 止）")
        reason = _text("延期理由")


class ExtensionDecisionApi(OrderActionApi):
    """延期审批。"""

    slug, summary, service = "extension-decision", "延期审批", handling.order_extension_decision

    class Input(VersionIn):
        decision = _choice(ExtensionDecision)


class PauseApi(OrderActionApi):
    """暂停计时（如等待市民补充材料）。只有主办单位（或热线办）可以暂停；单位暂停超过
    办公室设定的工作日数（默认 5 个）须经热线办审批，批准前照常计时。"""

    slug, summary, service = "pause", "暂停计时", handling.order_pause

    class Input(VersionIn):
        reason = _text("暂停理由")
        until = DateIn(
            required=False,
            allow_null=True,
            default=None,
            help_text="计划恢复计时的日期（不填：单位暂停以可免审批的最长期限为限）",
        )


class PauseDecisionApi(OrderActionApi):
    """暂停审批：同意则自此暂停计时，不同意则照常计时。"""

    slug, summary, service = "pause-decision", "暂停审批", handling.order_pause_decision

    class Input(VersionIn):
        decision = _choice(PauseDecision)


class ResumeApi(OrderActionApi):
    """恢复计时，办理时限顺延暂停的时间。"""

    slug, summary, service = "resume", "恢复计时", handling.order_resume


class ReplyApi(OrderActionApi):
    """答复：主办单位说明办理情况和结果。"""

    slug, summary, service = "reply", "答复", handling.order_reply

    class Input(VersionIn):
        text = _text("答复内容")
        contacted = serializers.BooleanField(default=True, help_text="是否已联系诉求人")
        resolved = serializers.BooleanField(
            required=False,
            allow_null=True,
            default=None,
            help_text="问题是否已解决（未解决须说明原因）",
        )


class CoReplyApi(OrderActionApi):
    """协办单位提交协办意见。"""

    slug, summary, service = "co-reply", "协办意见", handling.order_co_reply

    Input = _text_input("text", "协办意见")


# --- review and after -----------------------------------------------------------------


class ReviewApi(OrderActionApi):
    """答复审核：通过（办结）或返工（须写明意见）。"""

    slug, summary, service = "review", "答复审核", review.order_review

    class Input(VersionIn):
        decision = _choice(ReviewDecision)
        note = _text("审核意见", required=False, allow_blank=True, default="")
        forwarding = serializers.BooleanField(
            default=False, help_text="确认答复为二传手式答复（仅转交他人），记违规"
        )


class CallbackApi(OrderActionApi):
    """回访：记录满意度；不满意可返工；被要求撤诉或信息泄露记违规。"""

    slug, summary, service = "callback", "回访", review.order_callback

    class Input(VersionIn):
        result = _choice(CallbackResult)
        rework = serializers.BooleanField(default=False, help_text="不满意时返工")
        pressured = serializers.BooleanField(default=False, help_text="单位要求市民撤诉")
        leaked = serializers.BooleanField(default=False, help_text="市民信息被泄露")
        solved = _choice(Solved, required=False, allow_null=True, default=None)
        unit_contacted = serializers.BooleanField(
            required=False, allow_null=True, default=None, help_text="承办单位是否联系过市民"
        )
        note = _text("回访备注", required=False, allow_blank=True, default="")


class CallbackAssignApi(OrderActionApi):
    """回访分配：热线办（回访组长）把待回访工单分配给回访员、改派（reassign）或退回未分配
    （不填 agent）；回访员只能领取未分配的工单给自己，或退回自己的。已回访、不在待回访之列、
    已分配给他人的工单分别以 already_called_back、not_awaiting_callback、
    callback_assigned_elsewhere 拒绝。"""

    slug, summary, service = (
        "callback-assign",
        "回访分配",
        callback_assignment.order_callback_assign,
    )

    class Input(VersionIn):
        agent = CallbackAgentField(
            required=False,
            allow_null=True,
            default=None,
            help_text="回访员用户名；不填为退回未分配",
        )
        reassign = serializers.BooleanField(
            default=False, help_text="改派：工单已分配给其他回访员时，仍改由此回访员回访"
        )


class SpotCheckApi(OrderActionApi):
    """抽查回访。"""

    slug, summary, service = "spot-check", "抽查", review.order_spot_check

    class Input(VersionIn):
        result = _choice(CallbackResult)


class AppealApi(OrderActionApi):
    """申诉裁定：单位对不满意评价的申诉成立或驳回。"""

    slug, summary, service = "appeal", "申诉裁定", review.order_appeal

    class Input(VersionIn):
        decision = _choice(AppealDecision)
        reason = _text("申诉理由", required=False, allow_blank=True, default="")


class AppealFileApi(OrderActionApi):
    """提交申诉：主办单位在申诉期限内对不满意评价提出申诉（每个不满意评价一次）。"""

    slug, summary, service = "appeal-file", "提交申诉", review.order_appeal_file

    class Input(VersionIn):
        kind = _choice(AppealKind)
        reason = _text("申诉理由")


class SuperviseApi(OrderActionApi):
    """督办（一般、黄牌、红牌）；主办单位须在回复期限内回复，不填期限按各级别的设置计算。"""

    slug, summary, service = "supervise", "督办", supervision.order_supervise

    class Input(VersionIn):
        level = _choice(SupervisionLevel)
        note = _text("督办意见", required=False, allow_blank=True, default="")
        deadline = DateIn(required=False, allow_null=True, default=None, help_text="回复期限")


class SupervisionReplyApi(OrderActionApi):
    """督办回复：只有被督办的单位可以回复，回复内容不能为空。"""

    slug, summary, service = "supervision-reply", "督办回复", supervision.order_supervision_reply

    Input = _text_input("text", "督办回复内容")


class InstructApi(OrderActionApi):
    """领导批示。"""

    slug, summary, service = "instruct", "领导批示", supervision.order_instruct

    Input = _text_input("text", "批示内容")


class CloseApi(OrderActionApi):
    """归档。"""

    slug, summary, service = "close", "归档", review.order_close


class ContactApi(OrderActionApi):
    """联系诉求人：承办单位记录一次联系（时间、方式、结果）；时间缺省为当前时间。"""

    slug, summary, service = "contact", "联系诉求人", handling.order_contact

    class Input(VersionIn):
        way = _choice(ContactWay)
        outcome = _choice(ContactOutcome)
        contacted_at = serializers.DateTimeField(
            required=False, allow_null=True, default=None, help_text="联系时间（缺省为当前时间）"
        )


class ThreeWayRequestApi(OrderActionApi):
    """申请三方通话：保密工单的承办单位看不到诉求人信息，请热线接通三方通话。"""

    slug, summary, service = "three-way-request", "申请三方通话", handling.order_three_way_request

    class Input(VersionIn):
        note = _text("说明（如方便联系的时段）", required=False, allow_blank=True, default="")


class ThreeWayCallApi(OrderActionApi):
    """三方通话：话务员接通申请单位与诉求人，记为该单位的一次联系。"""

    slug, summary, service = "three-way-call", "三方通话", handling.order_three_way_call

    class Input(VersionIn):
        unit = UnitCodeField(help_text="申请三方通话的单位编码")
        outcome = _choice(ContactOutcome)


class CorrectApi(OrderActionApi):
    """工单修正：修正事项分类、区划（编码）、地址、诉求类型、紧急程度（normal/urgent）或诉求
    摘要，须写明理由；话务员限派单前，派单员和热线办限归档前。市民原话不可修改。"""

    slug, summary, service = "correct", "工单修正", correction.order_correct

    class Input(VersionIn):
        field = _choice(CorrectionField)
        value = FreeText(max_length=500, help_text="修正后的值：分类、区划用编码")
        reason = _text("修正理由")


ACTION_APIS: tuple[type[OrderActionApi], ...] = tuple(OrderActionApi.__subclasses__())
