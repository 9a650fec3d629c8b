"""Random, huge and control-character input posted to the intake form, the portal's
submission form and the order action path (page and API): never a server error, and a
refused request writes nothing (no order, no event, no half of either)."""

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hotline.api.order_actions import ACTION_APIS
from hotline.domain.enums import AppealType, RejectReason, Role
from hotline.orders.models import Citizen, Event, Order
from hotline.orders.services import dispatch
from tests import factories
from tests.api.conftest import token_client
from tests.conftest import local

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a browser can send: any character but lone surrogates, with the nasty ones and
# very long texts made likely.
_CHARACTERS = st.characters(codec="utf-8")
_NASTY = st.sampled_from(
    [
        "\x00",
        "\u200b",
        "\u202e",
        "\ufeff",
        "\r\n",
        "\x1b[2J",
        "１３８",
        "<script>",
        "'--",
        "{{7*7}}",
    ]
)
texts = st.one_of(
    st.text(alphabet=_CHARACTERS, max_size=60),
    st.lists(st.one_of(_NASTY, st.text(alphabet=_CHARACTERS, max_size=5)), max_size=12).map(
        "".join
    ),
    st.builds(
        lambda part, times: part * times, st.text(min_size=1, max_size=3), st.integers(1, 3000)
    ),
    st.just(""),
)


def counts() -> tuple[int, int, int]:
    return Order.objects.count(), Event.objects.count(), Citizen.objects.count()


def one_of_or(values, junk=texts):
    """Mostly a value the form accepts, sometimes anything: so that some requests go
    through and the rest are refused for one field at a time."""
    valid = st.sampled_from(list(values))
    return st.one_of(valid, valid, valid, junk)


# Text a form accepts, or anything at all.
_PLAIN = st.sampled_from(
    ["小区楼下夜间施工噪音扰民", "书院路12号", "李先生", "１２号楼\u200b３单元"]
)
prose = st.one_of(_PLAIN, _PLAIN, _PLAIN, texts)


@pytest.fixture
def operator_client(city):
    client = Client()
    client.force_login(city.users[Role.OPERATOR])
    return client


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "phone": one_of_or(["", "13800000009", "０７３１－５８５８１２３４", "95588"]),
            "citizen_name": prose,
            "citizen_kind": one_of_or(["urban", "rural", "enterprise"]),
            "channel": one_of_or(["phone", "website"]),
            "appeal_type": one_of_or([t.value for t in AppealType]),
            "address": prose,
            "content": prose,
            "article": prose,
            "reject_reason": one_of_or([r.value for r in RejectReason]),
            "lead": one_of_or(["U-YT", "U-ZHSW"]),
            "step": one_of_or(["", "confirm"]),
            "action": one_of_or(["answer", "queue", "reject", "harassment", "invalid", "dispatch"]),
        }
    )
)
def test_the_intake_form(operator_client, data):
    before = counts()
    response = operator_client.post("/intake/", data)
    event(f"intake {response.status_code}")
    assert response.status_code in (200, 302, 400), response.status_code
    after = counts()
    if response.status_code == 302:
        assert after[0] == before[0] + 1
    else:
        assert after == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "appeal_type": one_of_or([t.value for t in AppealType]),
            "content": prose,
            "region": one_of_or(["", "430304", "430304001"]),
            "address": prose,
            "name": prose,
            "phone": one_of_or(["13800000009", "１３８００００００09", "0731-58581234"]),
            "confidential": one_of_or(["", "on"]),
        }
    )
)
def test_the_portal_submission(city, data):
    cache.clear()  # the rate limit is not what is tested here
    before = counts()
    response = Client().post("/portal/submit/", data)
    event(f"portal {response.status_code}")
    assert response.status_code in (302, 400), response.status_code
    after = counts()
    if response.status_code == 302:
        assert after[:2] == (before[0] + 1, before[1] + 1)
        assert after[2] in (before[2], before[2] + 1)  # a repeat caller is recognised
        order = Order.objects.latest("id")
        assert order.channel == "website" and order.content.strip()
        assert "\x00" not in order.content + order.address + order.citizen.name
    else:
        assert after == before


SLUGS = [api.slug for api in ACTION_APIS]
FIELDS = {
    "reason": prose,
    "text": prose,
    "note": prose,
    "decision": one_of_or(["accept", "rework", "refuse", "approve", "reject", "upheld"]),
    "level": one_of_or(["normal", "yellow", "red"]),
    "result": one_of_or(["satisfied", "unsatisfied", "unreachable"]),
    "lead": one_of_or(["U-YT", "U-YH"]),
    "sub_unit": one_of_or(["U-YT-SYL"]),
    "into": texts,
    "until": one_of_or(["2026-04-01", "2026-13-45"]),
    "article": prose,
    "contacted": one_of_or(["true", "false"]),
}
actions = st.fixed_dictionaries(
    {
        "slug": st.sampled_from(SLUGS),
        "role": st.sampled_from([Role.SUPERVISOR, Role.UNIT_HANDLER]),
        **FIELDS,
    },
)


@pytest.fixture
def order(city):
    registered = factories.register(city, local(2026, 3, 2, 9))
    return dispatch.order_dispatch(
        order=registered, lead=city.district, actor=None, at=local(2026, 3, 2, 10)
    )


def _written_consistently(order, before_version, before_events):
    """Either the action went through (a new version and its events) or nothing moved."""
    order.refresh_from_db()
    events = Event.objects.filter(order=order).count()
    if order.version == before_version:
        assert events == before_events
    else:
        assert events > before_events


@settings(FUZZ, max_examples=80)
@given(action=actions, stale=st.booleans())
def test_the_order_action_page(city, order, action, stale):
    action = dict(action)
    slug, role = action.pop("slug"), action.pop("role")
    order.refresh_from_db()
    before_version, before_events = order.version, Event.objects.filter(order=order).count()
    client = Client()
    client.force_login(city.users[role])
    form = action | {"version": before_version - 1 if stale else before_version}
    response = client.post(f"/orders/{order.number}/do/{slug}/", form)
    event(f"page {response.status_code}")
    # A NUL character is refused at the door (``security.nul``), before the page.
    refused_at_door = any("\x00" in str(value) for value in form.values())
    assert response.status_code in ((400,) if refused_at_door else (302, 403, 404)), (
        response.status_code
    )
    _written_consistently(order, before_version, before_events)
    if response.status_code != 302 or stale:
        order.refresh_from_db()
        assert order.version == before_version


@settings(FUZZ, max_examples=80)
@given(action=actions, version=st.one_of(st.integers(1, 6), texts))
def test_the_order_action_api(city, order, action, version):
    action = dict(action)
    slug, role = action.pop("slug"), action.pop("role")
    order.refresh_from_db()
    before_version, before_events = order.version, Event.objects.filter(order=order).count()
    response = token_client(city.users[role]).post(
        f"/api/orders/{order.number}/{slug}/", action | {"version": version}, format="json"
    )
    assert response.status_code in (200, 400, 403, 404, 409), response.status_code
    event(f"api {response.status_code}")
    _written_consistently(order, before_version, before_events)
    if response.status_code != 200:
        order.refresh_from_db()
        assert order.version == before_version
