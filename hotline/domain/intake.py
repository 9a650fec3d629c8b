"""What a new order must say before it can be registered (SPEC 3)."""

from hotline.domain.enums import Channel, DeputyLevel
from hotline.domain.errors import DomainError

CONTENT_MAX = 5000
ADDRESS_MAX = 200
# The citizen's and the call's identifiers, as long as the order tables keep them.
CITIZEN_NAME_MAX = 50
PHONE_MAX = 20
CALL_ID_MAX = 40
EXTERNAL_REF_MAX = 40
# As an online channel's system may send them: a phone with spaces or dashes before it is
# read, an identity number.
PHONE_INPUT_MAX = 30
ID_NUMBER_MAX = 30


class InvalidIntake(DomainError):
    code = "invalid_intake"

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_content(content: str, address: str = "") -> str:
    text = (content or "").strip()
    if not text:
        raise InvalidIntake("content", "诉求内容不能为空")
    if len(text) > CONTENT_MAX:
        raise InvalidIntake("content", f"诉求内容不能超过 {CONTENT_MAX} 字")
    if len(address or "") > ADDRESS_MAX:
        raise InvalidIntake("address", f"地址不能超过 {ADDRESS_MAX} 字")
    return text


def check_deputy_level(channel: Channel, level: str, *, required: bool = True) -> str:
    """SPEC 7 (2026-12): the deputy's level, only on 人大代表专席 and asked there at
    registration — the operator hears it from the deputy and the report counts the line
    by it. ``required`` is False for orders registered before levels were recorded
    (history and interchange files), which keep none. Returns the level's English name
    ("" for none)."""
    if not level:
        if required and channel is Channel.NPC_DEPUTY_LINE:
            raise InvalidIntake("deputy_level", "人大代表专席的工单须选择人大代表级别")
        return ""
    deputy = parse_choice(DeputyLevel, level, "deputy_level", "人大代表级别")
    if channel is not Channel.NPC_DEPUTY_LINE:
        raise InvalidIntake(
            "deputy_level", f"只有人大代表专席的工单登记人大代表级别（本工单为{channel.label}）"
        )
    return deputy.value


def parse_choice(vocabulary, value, field: str, what: str):
    try:
        return vocabulary.parse(value) if isinstance(value, str) else vocabulary(value)
    except ValueError:
        raise InvalidIntake(field, f"{what}「{value}」不在可选范围内") from None


# SPEC 3 (2026-12): what arrives from these channels has been written by the citizen or
# handed over by another system, unclassified: it waits for the operators' intake review.
REVIEWED_CHANNELS = frozenset(
    {
        Channel.WEBSITE,
        Channel.WECHAT,
        Channel.APP,
        Channel.MAYOR_MAILBOX,
        Channel.GOVERNOR_MAILBOX,
        Channel.GOV_PORTAL,
        Channel.PEOPLE_DAILY,
        Channel.PROVINCE_PLATFORM,
        Channel.POLICE_110,
    }
)


def needs_review(channel: Channel) -> bool:
    return channel in REVIEWED_CHANNELS
