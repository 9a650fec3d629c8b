"""The dispatcher's first choice beside the catalogue's suggestion (SPEC 10): recorded with
the dispatch, counted for first-dispatch accuracy, and taught to the next training."""

from types import SimpleNamespace

import pytest

from hotline.assistance import training
from hotline.assistance.models import DispatchChoice
from hotline.assistance.selectors import dispatch_choices, training_samples
from hotline.domain.enums import Role
from hotline.orders.services import dispatch
from tests import factories
from tests.conftest import local

AT = local(2026, 3, 2, 9)


def _dispatched(city, lead, *, hour=9):
    order = factories.register(city, local(2026, 3, 2, hour))
    return dispatch.order_dispatch(
        order=order, lead=lead, actor=city.users[Role.DISPATCHER], at=local(2026, 3, 2, hour, 5)
    )


def test_a_first_dispatch_is_kept_beside_the_catalogues_suggestion(city):
    followed = _dispatched(city, city.district)  # 噪音扰民 in 书院路街道: 岳塘区
    overrode = _dispatched(city, city.other_district, hour=10)
    chosen = {c.order_id: c for c in DispatchChoice.objects.all()}
    assert chosen[followed.pk].suggested == city.district and chosen[followed.pk].followed
    assert chosen[overrode.pk].chosen == city.other_district
    assert not chosen[overrode.pk].followed
    # Returned and dispatched again: the first choice stays the one recorded.
    yuhu = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    order = dispatch.order_return(
        order=overrode, reason="事发地属岳塘区", actor=yuhu, at=local(2026, 3, 2, 11)
    )
    dispatch.order_return_review(
        order=order,
        decision="accept",
        lead=city.district,
        actor=city.users[Role.DISPATCHER],
        at=local(2026, 3, 2, 12),
    )
    assert DispatchChoice.objects.get(order=overrode).chosen == city.other_district


def test_first_dispatch_accuracy_by_whether_the_suggestion_was_followed(city):
    _dispatched(city, city.district)
    _dispatched(city, city.district, hour=10)
    kept = _dispatched(city, city.other_district, hour=11)
    back = _dispatched(city, city.other_district, hour=12)
    yuhu = factories.user(Role.UNIT_HANDLER, unit=city.other_district)
    dispatch.order_return(order=back, reason="不属本区", actor=yuhu, at=local(2026, 3, 2, 13))
    rows = dispatch_choices(since=local(2026, 3, 1), until=local(2026, 4, 1))
    assert rows == [
        {"followed": True, "dispatched": 2, "kept": 2, "percent": 100.0},
        {"followed": False, "dispatched": 2, "kept": 1, "percent": 50.0},
    ]
    assert dispatch_choices(since=local(2026, 4, 1), until=local(2026, 5, 1)) == []
    # The next training hears which kept orders went against the suggestion.
    samples = {s.content: s for s in training_samples()}
    assert any(s.overrode for s in training_samples())
    assert kept.content in samples


def test_the_dashboard_shows_first_dispatch_accuracy_by_choice(city, signed_in, monkeypatch):
    monkeypatch.setattr(
        "hotline.web.views.leader.timezone", SimpleNamespace(now=lambda: local(2026, 3, 20, 9))
    )
    _dispatched(city, city.district)
    html = signed_in(Role.SUPERVISOR).get("/leader/").content.decode()
    table = html.split('class="dispatch-choices"')[1].split("</table>")[0]
    assert "按派单目录推荐" in table and "100.00%" in table


@pytest.mark.parametrize("overrode", [False, True])
def test_training_learns_every_choice_against_the_suggestion(overrode, monkeypatch):
    monkeypatch.setattr(training, "PER_LEAD", 1)
    monkeypatch.setattr(training, "PER_CATEGORY", 1)
    monkeypatch.setattr(training, "PER_APPEAL_TYPE", 1)
    directory = training.DirectorySnapshot(
        regions={},
        categories={"01": ("噪音", ""), "02": ("供水", "")},
        units={"A": "甲", "B": "乙"},
        rules=[],
    )
    samples = [
        training.Sample(AT, f"夜里施工噪音第{i}回", "", "complaint", "01", "", "A", True, overrode)
        for i in range(3)
    ] + [training.Sample(AT, "停水了", "", "help", "02", "", "B", True)]
    model = training.fit(samples, directory)
    # Capped at one order a lead unit, plus each order that went against the suggestion.
    assert model.metadata["learned_from"] == (4 if overrode else 2)
