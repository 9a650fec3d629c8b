"""The supervision answer on the pages (SPEC 4, 2026-12): the form is offered to the
supervised unit only; a refusal comes back in Chinese on the page, nothing written."""

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Event, Supervision
from hotline.orders.services.dispatch import order_dispatch
from hotline.orders.services.supervision import order_supervise
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervised(city):
    order = factories.register(city, local(2026, 3, 2, 9))
    order = order_dispatch(
        order=order, lead=city.district, co_units=[city.water], actor=None, at=local(2026, 3, 2, 9)
    )
    return order_supervise(
        order=order, level="red", actor=city.users[Role.SUPERVISOR], at=local(2026, 3, 2, 10)
    )


def test_only_the_supervised_unit_is_offered_the_answer(client, city, supervised):
    client.force_login(city.users[Role.UNIT_HANDLER])
    page = client.get(f"/orders/{supervised.number}/").content.decode()
    assert "supervision-reply" in page and "督办回复" in page
    client.force_login(factories.user(Role.UNIT_HANDLER, unit=city.water))
    assert "supervision-reply" not in client.get(f"/orders/{supervised.number}/").content.decode()


def test_a_refused_answer_comes_back_in_chinese_and_writes_nothing(client, city, supervised):
    client.force_login(factories.user(Role.UNIT_HANDLER, unit=city.water))
    seen = Event.objects.count()
    response = client.post(
        f"/orders/{supervised.number}/do/supervision-reply/", {"text": "已配合"}, follow=True
    )
    assert "不是被督办单位，不能回复该督办" in response.content.decode()
    assert Event.objects.count() == seen
    assert Supervision.objects.get().answered_at is None


def test_the_unit_sees_the_supervision_awaiting_its_answer_above_the_inbox(
    client, city, supervised
):
    client.force_login(city.users[Role.UNIT_HANDLER])
    page = client.get("/unit/").content.decode()
    assert "待回复的督办" in page and supervised.number in page and "红牌督办" in page
    client.force_login(factories.user(Role.UNIT_HANDLER, unit=city.water))
    assert "待回复的督办" not in client.get("/unit/").content.decode()
