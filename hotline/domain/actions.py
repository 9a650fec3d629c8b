"""Every action a role may take, by one name: the API's slug (with "_" for "-"), the
permission's key, the action panel's name and ``perform(action=…)`` in the services.
A ``StrEnum``, so that a member is equal to its name as text."""

from enum import StrEnum


class Action(StrEnum):
    # intake
    REGISTER = "register"
    ANSWER = "answer"
    REJECT = "reject"
    HARASSMENT = "harassment"
    INVALID = "invalid"
    SPLIT = "split"
    MERGE = "merge"
    CORRECT = "correct"

    TRANSFER = "transfer"
    CLASSIFY = "classify"
    # dispatch
    DISPATCH = "dispatch"
    REDISPATCH = "redispatch"
    DESIGNATE = "designate"
    RETURN = "return"
    RETURN_REVIEW = "return_review"
    SUB_DISPATCH = "sub_dispatch"
    CONSULTATION_OPEN = "consultation_open"
    CONSULTATION_CLOSE = "consultation_close"
    # handling
    SIGN = "sign"
    CONTACT = "contact"
    THREE_WAY_REQUEST = "three_way_request"
    THREE_WAY_CALL = "three_way_call"
    EXTENSION_REQUEST = "extension_request"
    EXTENSION_DECISION = "extension_decision"
    PAUSE = "pause"
    PAUSE_DECISION = "pause_decision"
    RESUME = "resume"
    REPLY = "reply"
    CO_REPLY = "co_reply"
    # review and callback
    REVIEW = "review"
    CALLBACK = "callback"
    CALLBACK_ASSIGN = "callback_assign"
    SPOT_CHECK = "spot_check"
    APPEAL = "appeal"
    APPEAL_FILE = "appeal_file"
    CLOSE = "close"
    # supervision and discipline
    SUPERVISE = "supervise"
    SUPERVISION_REPLY = "supervision_reply"
    INSTRUCT = "instruct"
    VIOLATION_RECORD = "violation_record"
    VIOLATION_REVIEW = "violation_review"
    VIOLATION_OUTCOME = "violation_outcome"
    # topics (每月一题): the office takes one up and plans it; its units report progress
    TOPIC_MANAGE = "topic_manage"
    TOPIC_NOTE = "topic_note"
    # the office's settings and accounts
    CONFIGURE = "configure"
