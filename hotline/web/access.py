"""Which role may open which page: one table, read by the views and by the permission
matrix test. What a role may *do* to an order is ``hotline.domain.permissions``;
which orders it may see is the selectors' business (a unit handler's 404)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from hotline.domain.enums import Role

OPERATOR, DISPATCHER, UNIT, CALLBACK, SUPERVISOR, LEADER, ADMIN = (
    Role.OPERATOR,
    Role.DISPATCHER,
    Role.UNIT_HANDLER,
    Role.CALLBACK_AGENT,
    Role.SUPERVISOR,
    Role.LEADER,
    Role.ADMINISTRATOR,
)
EVERYONE = frozenset(Role)
OFFICE = frozenset({OPERATOR, DISPATCHER, CALLBACK, SUPERVISOR, LEADER})

PAGES: dict[str, frozenset[Role]] = {
    "home": EVERYONE,
    "password_change": EVERYONE,
    "order_search": OFFICE | {UNIT},
    "order_detail": OFFICE | {UNIT},
    "order_action": OFFICE | {UNIT},
    # SPEC 4 (2026-12): a unit reveals the phone of its own non-confidential orders.
    "identity_reveal": frozenset({OPERATOR, CALLBACK, SUPERVISOR, UNIT}),
    "intake": frozenset({OPERATOR, SUPERVISOR}),
    # SPEC 3 (2026-12): online orders wait for the operators' classification.
    "intake_review": frozenset({OPERATOR, SUPERVISOR}),
    # SPEC 3 (2026-12): 12345–110 linkage, both ways, with its figures.
    "linkage": frozenset({OPERATOR, DISPATCHER, SUPERVISOR, LEADER}),
    "caller_lookup": frozenset({OPERATOR, SUPERVISOR}),
    "knowledge_search": frozenset({OPERATOR, SUPERVISOR}),
    # The pickers: every role whose pages hold one (the users page's unit picker is the
    # administrator's; tests/web/test_permission_matrix.py checks each page's pickers).
    "category_search": OFFICE | {UNIT},
    "unit_search": OFFICE | {UNIT, ADMIN},
    "region_search": OFFICE | {UNIT},
    "dispatch_queue": frozenset({DISPATCHER, SUPERVISOR}),
    "unit_inbox": frozenset({UNIT}),
    "unit_progress": frozenset({UNIT}),
    "callback_queue": frozenset({CALLBACK, SUPERVISOR}),
    "supervision_desk": frozenset({SUPERVISOR}),
    "supervision_sheet": OFFICE | {UNIT},
    "violations": frozenset({SUPERVISOR, LEADER, UNIT}),
    "calendar_settings": frozenset({SUPERVISOR, ADMIN}),
    "calendar_year": frozenset({ADMIN}),
    "office_settings": frozenset({SUPERVISOR, ADMIN}),
    "users": frozenset({SUPERVISOR, ADMIN}),
    "audit_trail": frozenset({SUPERVISOR, ADMIN}),
    "background_jobs": frozenset({SUPERVISOR, ADMIN}),
    "leader_dashboard": frozenset({LEADER, SUPERVISOR}),
    "statistics_dashboard": frozenset({LEADER, SUPERVISOR}),
    "reports": frozenset({LEADER, SUPERVISOR}),
    "report_edit": frozenset({SUPERVISOR}),
    "knowledge_articles": frozenset({SUPERVISOR, UNIT}),
    "knowledge_review": frozenset({SUPERVISOR}),
    "intake_suggestions": frozenset({OPERATOR, SUPERVISOR}),
    "similar_orders": frozenset({OPERATOR, DISPATCHER, SUPERVISOR}),
    "suggestion_reason": frozenset({DISPATCHER, SUPERVISOR}),
    "surges": frozenset({SUPERVISOR, LEADER}),
    "assessment_breakdown": frozenset({UNIT, SUPERVISOR, LEADER}),
    "appeal_file": frozenset({UNIT}),
    "appeal_queue": frozenset({SUPERVISOR}),
    "appeal_decide": frozenset({SUPERVISOR}),
    # Live telephony (SPEC 8): the operators' seats and screen pop, the missed-call
    # callback list, the office's wallboard, and a call's recording — heard by those who
    # talk to citizens and the office, each listening logged.
    "seat": frozenset({OPERATOR, SUPERVISOR}),
    "screen_pop": frozenset({OPERATOR, SUPERVISOR}),
    "missed_calls": frozenset({OPERATOR, SUPERVISOR}),
    # SPEC 4 (2026-12): the units' three-way call requests, connected by the operators.
    "three_way_calls": frozenset({OPERATOR, SUPERVISOR}),
    "wallboard": OFFICE,
    "call_recording": frozenset({OPERATOR, CALLBACK, SUPERVISOR}),
    # Outbound campaigns: agents call, the office organises (create, assign, export).
    "campaigns": frozenset({OPERATOR, CALLBACK, SUPERVISOR}),
    "campaign_manage": frozenset({SUPERVISOR}),
    # Topics (每月一题): the office takes them up and plans them, the lead and co-units
    # see theirs and report progress, leaders read; the miner's candidates are the
    # office's and the leaders'.
    "topics": frozenset({DISPATCHER, SUPERVISOR, LEADER, UNIT}),
    "topic_detail": frozenset({DISPATCHER, SUPERVISOR, LEADER, UNIT}),
    "topic_proposals": frozenset({DISPATCHER, SUPERVISOR, LEADER}),
}

# Where each role starts its day.
LANDING: dict[Role, str] = {
    OPERATOR: "intake",
    DISPATCHER: "dispatch_queue",
    UNIT: "unit_inbox",
    CALLBACK: "callback_queue",
    SUPERVISOR: "supervision_desk",
    LEADER: "leader_dashboard",
    ADMIN: "calendar_settings",
}


def may_open(role: str, page: str) -> bool:
    return role in PAGES[page]


def page(name: str) -> Callable:
    """Signed-in users whose role may open page ``name``; others get 403."""
    if name not in PAGES:
        raise KeyError(name)

    def decorate(view):
        @login_required
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not may_open(request.user.role, name):
                raise PermissionDenied("此页面不对您的角色开放")
            return view(request, *args, **kwargs)

        guarded.page_name = name
        return guarded

    return decorate
