"""SPEC 3: a repeat caller is recognised by phone and name together — a phone serves a
family or a shop, and the name a caller gives is never replaced by another's."""

from datetime import timedelta

import pytest

from hotline.domain.enums import Role
from hotline.orders.models import Citizen, Order
from hotline.orders.services.history_import import orders_import
from hotline.orders.services.intake import CitizenInput
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db

T0 = local(2026, 3, 9, 9, 0)
PHONE = "13900000002"


def test_a_second_name_on_the_same_phone_is_kept(city):
    first = factories.register(city, T0, citizen=CitizenInput(name="张先生", phone=PHONE))
    second = factories.register(
        city, T0 + timedelta(hours=1), citizen=CitizenInput(name="张太太", phone=PHONE)
    )
    again = factories.register(
        city, T0 + timedelta(hours=2), citizen=CitizenInput(name="张先生", phone=PHONE)
    )
    assert second.citizen.name == "张太太"
    assert second.citizen_id != first.citizen_id
    assert again.citizen_id == first.citizen_id


def test_a_new_caller_is_written_whole_and_a_known_one_read_back(city, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: T0)
    given = CitizenInput(
        name="赵女士", phone=PHONE, id_number="430302199001011234", kind="enterprise"
    )
    new = factories.register(city, T0, citizen=given).citizen
    stored = Citizen.objects.get(pk=new.pk)
    for citizen in (new, stored):
        assert (citizen.name, citizen.phone, citizen.id_number, citizen.kind) == (
            "赵女士",
            PHONE,
            "430302199001011234",
            "enterprise",
        )
        assert citizen.created_at == T0
    # The pair known: the first citizen, as first given (another kind is not taken).
    again = factories.register(city, T0, citizen=CitizenInput(name="赵女士", phone=PHONE)).citizen
    assert (again.pk, again.kind, again.id_number) == (new.pk, "enterprise", "430302199001011234")
    # Without a phone nothing can be recognised: a name alone is a new citizen each time.
    nameless = [
        factories.register(city, T0, citizen=CitizenInput(name="赵女士")).citizen for _ in "12"
    ]
    assert nameless[0].pk != nameless[1].pk and Citizen.objects.count() == 3


def test_the_operator_sees_the_names_given_for_the_phone(city, client):
    factories.register(city, T0, citizen=CitizenInput(name="张先生", phone=PHONE))
    factories.register(city, T0, citizen=CitizenInput(name="李女士", phone=PHONE))
    client.force_login(city.users[Role.OPERATOR])
    html = client.get("/intake/caller/", {"phone": PHONE}).content.decode()
    assert "此号码登记过的诉求人：张**、李**" in html
    assert "张先生" not in html  # masked as every name on a page


def test_the_history_import_pairs_phone_and_name_as_live_intake_does(city, tmp_path):
    from tests.services.test_history_import import _file, _order

    factories.register(city, T0, citizen=CitizenInput(name="李先生", phone="13800000001"))
    lines = [
        _order(citizen={"name": name, "phone": "13800000001"})
        for name in ("李先生", "李太太", "李太太")
    ]
    orders_import(path=_file(tmp_path, *lines))
    names = Citizen.objects.filter(phone="13800000001").order_by("id")
    assert list(names.values_list("name", flat=True)) == ["李先生", "李太太"]
    assert Order.objects.filter(citizen__name="李太太").count() == 2
