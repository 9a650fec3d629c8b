"""With the demo city's directory and a trained model, a construction-noise call is
suggested 建筑施工噪音 first, with why: the catalogue entry and its basis, the words of
the call behind it, and the most alike concluded order of that category."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

import hotline.assistance
from hotline.assistance import store, training
from hotline.assistance.engine import forget_loaded_models
from hotline.assistance.live import models_folder
from hotline.assistance.samples import articles_from_file, requests_from_file, samples_from_lines
from hotline.assistance.selectors import directory_snapshot
from hotline.demo import DIRECTORY
from hotline.demo.history.generator import generate
from hotline.directory.models import Category, Region, Unit
from hotline.directory.services import directory_import
from hotline.domain.enums import Role
from hotline.orders.models import Order
from hotline.orders.services import dispatch, handling, review
from hotline.orders.services.intake import CitizenInput, Intake, order_register
from tests import factories
from tests.conftest import local

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_office(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    forget_loaded_models()
    directory_import(folder=DIRECTORY)
    generate(
        directory=DIRECTORY,
        start=date(2025, 1, 1),
        months=1,
        orders_per_month=3000,
        seed=5,
        out=tmp_path,
    )
    model = training.fit(
        samples_from_lines(tmp_path / "orders.jsonl"),
        directory_snapshot(),
        articles_from_file(DIRECTORY / "knowledge.csv"),
        requests_from_file(Path(hotline.assistance.__file__).with_name("calibration.jsonl")),
    )
    store.save(model, models_folder())
    yield {role: factories.user(role) for role in (Role.OPERATOR, Role.SUPERVISOR)}
    forget_loaded_models()


def _concluded_noise_order(users, unit_handler) -> Order:
    order = order_register(
        actor=users[Role.OPERATOR],
        intake=Intake(
            channel="phone",
            appeal_type="complaint",
            content="书院路旁边的工地晚上十一点还在打桩，吵得睡不着",
            category=Category.objects.get(code="030301"),
            region=Region.objects.get(code="430304004"),
            address="岳塘区书院路",
            citizen=CitizenInput(name="王女士", phone="13800000002"),
        ),
        at=local(2026, 3, 2, 9),
    )
    city_management = Unit.objects.get(code="U-CGJ")
    order = dispatch.order_dispatch(
        order=order, lead=city_management, actor=users[Role.OPERATOR], at=local(2026, 3, 2, 10)
    )
    order = handling.order_sign(order=order, actor=unit_handler, at=local(2026, 3, 2, 11))
    order = handling.order_reply(
        order=order,
        text="已责令施工单位夜间停止打桩作业。",
        actor=unit_handler,
        at=local(2026, 3, 3, 9),
    )
    return review.order_review(
        order=order, decision="accept", actor=users[Role.SUPERVISOR], at=local(2026, 3, 4, 9)
    )


def test_a_construction_noise_call_is_suggested_its_category_with_why(demo_office, sign_in):
    handler = factories.user(Role.UNIT_HANDLER, unit=Unit.objects.get(code="U-CGJ"))
    past = _concluded_noise_order(demo_office, handler)
    operator = sign_in("operator")
    operator.goto("/intake/")
    operator.locator("#id_address").fill("岳塘区书院路")
    operator.locator("#id_content").fill("隔壁工地晚上十一点多了还在施工，轰隆隆的吵得人睡不着")
    first = operator.locator('.suggestions [data-fill="category"]').first
    # The box may first answer for the address alone; it follows the content.
    expect(first).to_have_attribute("data-value", "030301", timeout=30_000)
    assert "建筑施工噪音" in first.inner_text()
    why = operator.locator(".suggestion-why")
    assert "派单目录「建筑施工噪音」由市城管局主办（职权原则）" in why.inner_text()
    assert "依据：市城管局权责清单：查处建筑施工噪声污染（夜间施工）" in why.inner_text()
    assert "工地" in why.inner_text()
    assert past.number in why.locator(".suggestion-past").inner_text()
    # Taking the suggestion fills the form.
    first.click()
    operator.locator('input[name="category"][value="030301"]:checked').wait_for()
