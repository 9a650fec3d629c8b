"""Every page and every order action × every role, against one table each:
``hotline.web.access.PAGES`` for pages, ``hotline.domain.permissions.ACTIONS`` for actions."""

import re

import pytest
from django.urls import URLPattern, get_resolver, resolve, reverse

from hotline.api.order_actions import ACTION_APIS
from hotline.domain.enums import Role
from hotline.domain.permissions import may
from hotline.governance.services import topic_create
from hotline.orders.models import Supervision
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.supervision import order_supervise
from hotline.web.access import PAGES, may_open
from hotline.web.views.order_actions import ACTIONS_BY_SLUG, BATCH_SLUGS
from tests.conftest import local
from tests.factories import register

pytestmark = pytest.mark.django_db

# How to ask for each page; "{n}" is an order every role may see (dispatched to the
# unit handler's own unit, and supervised: "{s}"), so a refusal can only come from the role.
REQUESTS = {
    "home": ("get", "/", {}),
    "password_change": ("get", "/password/", {}),
    "order_search": ("get", "/orders/", {}),
    "order_detail": ("get", "/orders/{n}/", {}),
    # Which actions each role may take is the next test's; here only the page itself.
    "order_action": ("post", "/orders/{n}/do/no-such-action/", {}),
    "identity_reveal": ("post", "/orders/{n}/reveal/", {"purpose": "核实"}),
    "intake": ("get", "/intake/", {}),
    "intake_review": ("get", "/intake/review/", {}),
    "linkage": ("get", "/linkage/", {}),
    "caller_lookup": ("get", "/intake/caller/", {"phone": "13800000001"}),
    "knowledge_search": ("get", "/intake/knowledge/", {"q": "噪音"}),
    "category_search": ("get", "/pickers/categories/", {"q": "噪音"}),
    "unit_search": ("get", "/pickers/units/", {"q": "岳塘"}),
    "region_search": ("get", "/pickers/regions/", {"q": "syl"}),
    "dispatch_queue": ("get", "/dispatch/", {}),
    "unit_inbox": ("get", "/unit/", {}),
    "unit_progress": ("get", "/unit/progress/", {}),
    "callback_queue": ("get", "/callback/", {}),
    "supervision_desk": ("get", "/supervision/", {}),
    "supervision_sheet": ("get", "/orders/{n}/supervisions/{s}/sheet.docx", {}),
    "violations": ("get", "/office/violations/", {}),
    "calendar_settings": ("get", "/office/calendar/", {}),
    "calendar_year": ("get", "/office/calendar/year/", {}),
    "office_settings": ("get", "/office/settings/", {}),
    "users": ("get", "/office/users/", {}),
    "audit_trail": ("get", "/office/audit/", {}),
    "background_jobs": ("get", "/office/background/", {}),
    "leader_dashboard": ("get", "/leader/", {}),
    "statistics_dashboard": ("get", "/statistics/", {}),
    "reports": ("get", "/reports/", {}),
    "report_edit": ("get", "/reports/new/", {}),
    "knowledge_articles": ("get", "/knowledge/", {}),
    "knowledge_review": ("get", "/knowledge/review/", {}),
    "intake_suggestions": ("get", "/intake/suggestions/", {"content": "楼下噪音", "address": ""}),
    "similar_orders": ("get", "/intake/similar/", {"content": "楼下噪音"}),
    "suggestion_reason": ("get", "/dispatch/{n}/why/", {}),
    "surges": ("get", "/surges/", {}),
    "assessment_breakdown": ("get", "/assessment/", {"period": "2026-03"}),
    # Refused by the state machine (nothing to appeal), after the page let the role in.
    "appeal_file": ("post", "/assessment/appeal/{n}/", {"kind": "other", "reason": "理由"}),
    "appeal_queue": ("get", "/assessment/appeals/", {}),
    "appeal_decide": ("post", "/assessment/appeals/{n}/decide/", {"decision": "upheld"}),
    "seat": ("get", "/seat/", {}),
    "screen_pop": ("get", "/intake/pop/", {}),
    "missed_calls": ("get", "/calls/missed/", {}),
    "three_way_calls": ("get", "/three-way/", {}),
    "wallboard": ("get", "/wallboard/", {}),
    "call_recording": ("post", "/orders/{n}/recording/", {}),
    "campaigns": ("get", "/campaigns/", {}),
    "campaign_manage": ("get", "/campaigns/manage/", {}),
    "topics": ("get", "/topics/", {}),
    "topic_detail": ("get", "/topics/{t}/", {}),
    "topic_proposals": ("get", "/topics/proposals/", {}),
}


def _path(path: str, order) -> str:
    return path.format(n=order.number, s=order.supervision_pk, t=order.topic_pk)


@pytest.fixture
def shared_order(city):
    order = register(city, local(2026, 3, 2, 9))
    order = order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=local(2026, 3, 2, 10)
    )
    order = order_supervise(
        order=order, level="normal", actor=city.users[Role.SUPERVISOR], at=local(2026, 3, 2, 11)
    )
    order.supervision_pk = Supervision.objects.get(order=order).pk
    # A topic the unit handler's unit leads: its page is open to the role or not.
    order.topic_pk = topic_create(
        actor=city.users[Role.SUPERVISOR],
        title="书院路夜间施工噪音",
        lead_unit=city.district,
        month=local(2026, 3, 1).date(),
        at=local(2026, 3, 2, 12),
    ).pk
    return order


def test_the_table_names_every_page_and_each_page_has_its_url():
    assert set(REQUESTS) == set(PAGES)
    for name, (_, path, _) in REQUESTS.items():
        if "{" not in path:
            assert reverse(f"web:{name}") == path


def test_every_staff_view_is_guarded_by_a_page_of_the_table():
    open_views = {"sign_in", "sign_out"}
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "web":
            continue
        for view in pattern.url_patterns:
            assert isinstance(view, URLPattern)
            callback = view.callback
            if callback.__name__ in open_views:
                continue
            assert getattr(callback, "page_name", None) in PAGES, view.pattern


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_by_role(client, city, shared_order, name, role):
    method, path, data = REQUESTS[name]
    client.force_login(city.users[role])
    response = getattr(client, method)(_path(path, shared_order), data)
    if may_open(role, name):
        expected = (404,) if name == "order_action" else (200, 302)
        if name == "screen_pop":
            expected = (204,)  # nothing answered at the seat: nothing to pop
        assert response.status_code in expected, response.status_code
    else:
        assert response.status_code == 403


_PICKER_URL = re.compile(r'hx-get="(/pickers/[^"?]*)')


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_picker_a_page_shows_answers_the_role_that_opened_it(
    client, city, shared_order, role
):
    """A page's search-as-you-type pickers are pages of their own: the role that may
    open the page must be let into each (the users page's unit picker once answered
    403 to the administrator, who then could not bind a unit handler to a unit)."""
    client.force_login(city.users[role])
    found = set()
    for name, (method, path, data) in REQUESTS.items():
        if method != "get" or not may_open(role, name) or name.endswith("_search"):
            continue
        page = client.get(_path(path, shared_order), data)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for picker in set(_PICKER_URL.findall(page.content.decode())):
            found.add((name, resolve(picker).url_name))
            answer = client.get(picker, {"q": "岳"})
            assert answer.status_code == 200, (name, picker)
    pages_with_pickers = {
        Role.OPERATOR: {"intake"},
        Role.ADMINISTRATOR: {"users"},
        Role.SUPERVISOR: {"intake", "users"},
    }
    assert pages_with_pickers.get(role, set()) <= {name for name, _ in found}, found


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("api", ACTION_APIS, ids=lambda a: a.slug)
def test_order_action_by_role(client, city, shared_order, api, role):
    client.force_login(city.users[role])
    response = client.post(f"/orders/{shared_order.number}/do/{api.slug}/", {})
    if may(role, api.action) and may_open(role, "order_action"):
        # Allowed to try: the empty form comes back with a message, not a refusal.
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("slug", sorted(BATCH_SLUGS))
def test_batch_action_by_role(client, city, shared_order, slug, role):
    """The lists' batch actions (签收, 回访分配) by every role: the order is the shared
    one, so a refusal can only come from the role."""
    client.force_login(city.users[role])
    posted = {"orders": [f"{shared_order.number}@{shared_order.version}"], "next": "/"}
    response = client.post(f"/orders/batch/{slug}/", posted)
    api = ACTIONS_BY_SLUG[slug]
    if may(role, api.action) and may_open(role, "order_action"):
        # Allowed to try: back to the list with a message per order.
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    shared_order.refresh_from_db()
    assert shared_order.callback_agent == ""  # never assigned: it awaits no callback


def test_anonymous_visitors_are_sent_to_sign_in(client, city, shared_order):
    for name, (method, path, data) in REQUESTS.items():
        response = getattr(client, method)(_path(path, shared_order), data)
        assert response.status_code == 302, name
        assert response.url.startswith("/login/"), name
