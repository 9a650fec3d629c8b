"""The closed vocabularies of the hotline, named as in the glossary.

Each member's value is the English name used in code, the API and the exchange
formats; ``label`` is the Chinese shown to people. ``parse`` accepts either, because
the order-history format allows "enums by the English name of the glossary or the
Chinese" (SPEC 11).
"""

from enum import StrEnum
from functools import cache


class Vocabulary(StrEnum):
    """A str enum with a Chinese label per member."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def parse(cls, text: str):
        try:
            return _spellings(cls)[text]
        except (KeyError, TypeError):
            raise ValueError(text) from None

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Channel(Vocabulary):
    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信公众号"
    WEBSITE = "website", "网站"
    APP = "app", "移动应用"
    MAYOR_MAILBOX = "mayor_mailbox", "市长信箱"
    GOVERNOR_MAILBOX = "governor_mailbox", "省长信箱"
    GOV_PORTAL = "gov_portal", "中国政府网留言"
    PEOPLE_DAILY = "people_daily", "人民网留言"
    PROVINCE_PLATFORM = "province_platform", "省级12345平台转派"
    CPPCC_SUGGESTION = "cppcc_suggestion", "政协委员微建议"
    NPC_DEPUTY_LINE = "npc_deputy_line", "人大代表专席"
    BUSINESS_LINE = "business_line", "政企通专席"
    LEADER_DAY = "leader_day", "领导接听日"
    SMS = "sms", "短信"
    # SPEC 3 (2026-12): a non-police matter 110 hands over to 12345 (110 转入).
    POLICE_110 = "police_110", "110转入"


class DeputyLevel(Vocabulary):
    """SPEC 7 (2026-12): the people's congress an NPC deputy on 人大代表专席 sits in, by
    which the report breaks that line down."""

    NATIONAL = "national", "全国人大代表"
    PROVINCIAL = "provincial", "省人大代表"
    MUNICIPAL = "municipal", "市人大代表"
    COUNTY = "county", "县（市、区）人大代表"
    TOWNSHIP = "township", "乡镇人大代表"


class AppealType(Vocabulary):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"
    CRITICISM = "criticism", "批评"
    OTHER = "other", "其他"


class CitizenKind(Vocabulary):
    URBAN = "urban", "城镇居民"
    RURAL = "rural", "乡镇村民"
    ENTERPRISE = "enterprise", "企业"


class Disposition(Vocabulary):
    """The outcome decided at intake (SPEC 3)."""

    ANSWERED = "answered", "当场答复"
    DISPATCHED = "dispatched", "转办"
    REJECTED = "rejected", "不予受理"
    HARASSMENT = "harassment", "骚扰来电"
    INVALID = "invalid", "无效来电"
    MERGED = "merged", "并单"
    # SPEC 3 (2026-12): an emergency handed to 110/119/120/122, counted apart from 不予受理.
    TRANSFERRED = "transferred", "即时转办"


class RejectReason(Vocabulary):
    UNLAWFUL = "unlawful", "违反法律法规或公序良俗"
    SECRET_OR_PRIVACY = "secret_or_privacy", "涉及国家秘密、商业秘密或个人隐私"
    PARTY_BODIES = "party_bodies", "属党委、人大、政协、纪检监察事项"
    LEGAL_PROCESS = "legal_process", "已进入诉讼、仲裁、行政许可或行政复议程序"
    # SPEC 3 (2026-12): emergencies are transferred, not rejected; the value stays for
    # the orders rejected so before.
    MILITARY_OR_EMERGENCY = "military_or_emergency", "涉军涉警事项"
    OTHER_CHANNEL = "other_channel", "已通过信访等渠道受理答复"
    VAGUE = "vague", "诉求要素不全"
    BETWEEN_RESIDENTS = "between_residents", "居民之间纠纷"
    UNREASONABLE = "unreasonable", "无理诉求"


class EmergencyService(Vocabulary):
    """The services an emergency is transferred to (SPEC 3, 2026-12: 即时转办)."""

    POLICE = "110", "公安110"
    FIRE = "119", "消防119"
    AMBULANCE = "120", "急救120"
    TRAFFIC = "122", "交警122"


class Status(Vocabulary):
    """Where an order stands in its handling (SPEC 4)."""

    REGISTERED = "registered", "已登记"
    DISPATCHED = "dispatched", "待签收"
    RETURNED = "returned", "退单待审"
    IN_PROGRESS = "in_progress", "办理中"
    REPLIED = "replied", "待审核"
    CONCLUDED = "concluded", "已办结待回访"
    MERGED = "merged", "已并单"
    CLOSED = "closed", "已归档"


class AssignmentRole(Vocabulary):
    LEAD = "lead", "主办"
    CO = "co", "协办"
    SUB = "sub", "二级承办"


class CallbackResult(Vocabulary):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNREACHABLE = "unreachable", "未联系上"


class Solved(Vocabulary):
    """The callback's question 问题是否解决 (SPEC 4, 2026-12)."""

    SOLVED = "solved", "已解决"
    PARTLY = "partly", "部分解决"
    NOT_SOLVED = "not_solved", "未解决"


class ContactWay(Vocabulary):
    """How a unit contacted the citizen (SPEC 4 contact, 2026-12)."""

    PHONE = "phone", "电话"
    ON_SITE = "on_site", "上门走访"
    SMS = "sms", "短信"
    # SPEC 4 (2026-12): a confidential order's citizen, reached through the hotline.
    THREE_WAY = "three_way", "三方通话"
    OTHER = "other", "其他方式"


class ContactOutcome(Vocabulary):
    """What came of one contact: every attempt is recorded, reached or not."""

    REACHED = "reached", "已联系上"
    UNREACHABLE = "unreachable", "未联系上"
    DECLINED = "declined", "诉求人拒绝沟通"


class CorrectionField(Vocabulary):
    """What a correction may change (SPEC 3 工单修正, 2026-12); never the citizen's words."""

    CATEGORY = "category", "事项分类"
    REGION = "region", "区域"
    ADDRESS = "address", "地址"
    APPEAL_TYPE = "appeal_type", "诉求类型"
    URGENCY = "urgency", "紧急程度"
    SUMMARY = "summary", "诉求摘要"


class Urgency(Vocabulary):
    NORMAL = "normal", "普通件"
    URGENT = "urgent", "急办件"


class ReviewDecision(Vocabulary):
    ACCEPT = "accept", "通过"
    REWORK = "rework", "返工"


class ReturnDecision(Vocabulary):
    ACCEPT = "accept", "同意退单"
    REFUSE = "refuse", "驳回退单"


class ExtensionDecision(Vocabulary):
    GRANTED = "granted", "同意延期"
    REFUSED = "refused", "不同意延期"


class PauseDecision(Vocabulary):
    GRANTED = "granted", "同意暂停"
    REFUSED = "refused", "不同意暂停"


class AppealDecision(Vocabulary):
    UPHELD = "upheld", "申诉成立"
    DISMISSED = "dismissed", "申诉驳回"


class AppealKind(Vocabulary):
    """Why a unit appeals (SPEC 4, 2026-12: 申诉 filed by the unit)."""

    UNREASONABLE = "unreasonable", "无理诉求"
    REPEATED = "repeated", "重复诉求"
    NOT_OUR_DUTY = "not_our_duty", "非本单位职责"
    OTHER = "other", "其他"

    @property
    def takes_order_out(self) -> bool:
        """SPEC 4 (2026-12): upheld, an appeal of these kinds takes the whole order out
        of the unit's assessment, not only the callback."""
        return self in (AppealKind.UNREASONABLE, AppealKind.REPEATED)


class SupervisionLevel(Vocabulary):
    NORMAL = "normal", "一般督办"
    YELLOW = "yellow", "黄牌督办"
    RED = "red", "红牌督办"


class ViolationKind(Vocabulary):
    LEAK = "leak", "泄露市民信息"
    PRESSURE = "pressure", "要求市民撤销投诉"
    FALSE_RESULT = "false_result", "虚报瞒报办理结果"
    FORWARDING = "forwarding", "二传手式答复"
    CONTRADICTION = "contradiction", "答复与回访情况不符"
    OTHER = "other", "其他违规"


class ViolationOutcome(Vocabulary):
    """SPEC 6 (2026-12): what the office decides about a violation."""

    CRITICISM = "criticism", "批评教育"
    PUBLIC_CRITICISM = "public_criticism", "通报批评"
    INTERVIEW = "interview", "约谈"
    REFERRAL = "referral", "移送纪检监察机关"


class Role(Vocabulary):
    OPERATOR = "operator", "话务员"
    DISPATCHER = "dispatcher", "派单员"
    UNIT_HANDLER = "unit_handler", "承办单位联络员"
    CALLBACK_AGENT = "callback_agent", "回访员"
    SUPERVISOR = "supervisor", "热线办"
    LEADER = "leader", "领导"
    ADMINISTRATOR = "administrator", "系统管理员"


@cache
def _spellings(vocabulary: type[Vocabulary]) -> dict[str, Vocabulary]:
    """Each member under its English name and its Chinese label."""
    table = {m.label: m for m in vocabulary}
    table.update({m.value: m for m in vocabulary})
    return table


class TopicStatus(Vocabulary):
    """Where a topic (每月一题 / 一类事) stands: pushed on by its lead unit, solved and
    watched for recurrences, or finished."""

    ACTIVE = "active", "推进中"
    SOLVED = "solved", "已解决"
    CLOSED = "closed", "已结束"


class TopicLinkSource(Vocabulary):
    """How an order came to a topic: picked by hand, from the miner's proposal it was
    taken up from, or from the orders of its kind the topic page suggests."""

    HAND = "hand", "人工关联"
    PROPOSAL = "proposal", "候选一类事"
    SUGGESTION = "suggestion", "系统推荐"
