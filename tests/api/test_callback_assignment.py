"""``POST /api/orders/{number}/callback-assign/``: the same use case as the queue's batch,
each refusal in the API's one error shape with its stable code."""

from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import review
from tests import factories
from tests.api.conftest import error_of
from tests.services.test_callback_assignment import concluded


def _post(client, order, **body):
    return client.post(f"/api/orders/{order.number}/callback-assign/", body, format="json")


def test_the_lead_assigns_reassigns_and_releases(city, client_for):
    order = concluded(city)
    lead = client_for(Role.SUPERVISOR)
    other = factories.user(Role.CALLBACK_AGENT, username="agent2")
    done = _post(lead, order, agent="callback_agent", version=order.version)
    assert done.status_code == 200
    assert (done.json()["callback_agent"], done.json()["version"]) == (
        "callback_agent",
        order.version + 1,
    )
    taken = _post(lead, order, agent=other.username)
    assert taken.status_code == 409
    assert error_of(taken)["code"] == "callback_assigned_elsewhere"
    assert _post(lead, order, agent=other.username, reassign=True).json()["callback_agent"] == (
        "agent2"
    )
    assert _post(lead, order).json()["callback_agent"] == ""


def test_refusals_carry_their_codes(city, client_for):
    order = concluded(city)
    agent = client_for(Role.CALLBACK_AGENT)
    factories.user(Role.CALLBACK_AGENT, username="agent2")
    own_only = _post(agent, order, agent="agent2")
    assert own_only.status_code == 403 and error_of(own_only)["code"] == "callback_own_only"
    unknown = error_of(_post(client_for(Role.SUPERVISOR), order, agent="nobody"))
    assert (unknown["field"], unknown["message"]) == ("agent", "回访员「nobody」不存在或已停用")
    stale = _post(agent, order, agent="callback_agent", version=order.version - 1)
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_order"
    unit = _post(client_for(Role.UNIT_HANDLER), order)
    assert unit.status_code == 403 and error_of(unit)["code"] == "not_permitted"
    review.order_callback(order=order, result="satisfied", actor=city.users[Role.CALLBACK_AGENT])
    called = _post(agent, order, agent="callback_agent")
    assert called.status_code == 400 and error_of(called)["code"] == "already_called_back"
    assert Order.objects.get(pk=order.pk).callback_agent == ""
