"""Test data: a small city with two districts, units, categories and a user per role."""

import json
from dataclasses import dataclass
from pathlib import Path

from hotline.accounts.models import User
from hotline.directory.models import CatalogueEntry, Category, Region, Unit
from hotline.directory.services import regions_spell
from hotline.domain.enums import Role
from hotline.orders.services.intake import CitizenInput, Intake, order_register


@dataclass
class SmallCity:
    city: Region
    yuetang: Region
    yuhu: Region
    street: Region
    district: Unit  # 岳塘区
    other_district: Unit  # 雨湖区
    street_office: Unit  # 书院路街道, a sub-unit of 岳塘区
    water: Unit  # 中环水务
    market: Unit  # 市市场监管局
    noise: Category
    water_supply: Category
    users: dict[Role, User]


def _unit(code, name, kind, *, parent=None, regions=()):
    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
    unit.regions.set(regions)
    return unit


def user(role: Role, *, unit: Unit | None = None, username: str | None = None) -> User:
    return User.objects.create_user(
        username=username or f"{role.value}{'-' + unit.code if unit else ''}",
        password="pass-for-tests-1",
        role=role.value,
        unit=unit,
    )


def small_city() -> SmallCity:
    city = Region.objects.create(code="430300", name="湘潭市", level="city")
    yuetang = Region.objects.create(code="430304", name="岳塘区", level="district", parent=city)
    yuhu = Region.objects.create(code="430302", name="雨湖区", level="district", parent=city)
    street = Region.objects.create(
        code="430304001", name="书院路街道", level="town", parent=yuetang
    )
    regions_spell()
    district = _unit("U-YT", "岳塘区", "district_government", regions=[yuetang])
    other = _unit("U-YH", "雨湖区", "district_government", regions=[yuhu])
    street_office = _unit(
        "U-YT-SYL", "书院路街道", "town_government", parent=district, regions=[street]
    )
    water = _unit("U-ZHSW", "中环水务", "enterprise", regions=[city])
    market = _unit("U-SCJG", "市市场监管局", "department", regions=[city])
    env = Category.objects.create(code="05", name="生态环境", level=1)
    noise = Category.objects.create(code="0501", name="噪音扰民", level=2, parent=env)
    utilities = Category.objects.create(code="03", name="公用事业", level=1)
    water_supply = Category.objects.create(code="0301", name="供水", level=2, parent=utilities)
    CatalogueEntry.objects.create(category=water_supply, lead=water)
    CatalogueEntry.objects.create(category=noise, region=yuetang, lead=district)
    CatalogueEntry.objects.create(category=noise, region=yuhu, lead=other)
    users = {role: user(role) for role in Role if role is not Role.UNIT_HANDLER}
    users[Role.UNIT_HANDLER] = user(Role.UNIT_HANDLER, unit=district)
    return SmallCity(
        city,
        yuetang,
        yuhu,
        street,
        district,
        other,
        street_office,
        water,
        market,
        noise,
        water_supply,
        users,
    )


def register(city: SmallCity, at, *, urgent=False, appeal_type="complaint", **fields):
    intake = Intake(
        channel=fields.pop("channel", "phone"),
        appeal_type=appeal_type,
        content=fields.pop("content", "小区楼下夜间施工噪音扰民，影响休息"),
        category=fields.pop("category", city.noise),
        region=fields.pop("region", city.street),
        address=fields.pop("address", "岳塘区书院路12号"),
        citizen=fields.pop("citizen", CitizenInput(name="李先生", phone="13800000001")),
        urgent=urgent,
        **fields,
    )
    return order_register(actor=city.users[Role.OPERATOR], intake=intake, at=at)


# One order of an imported history, dispatched to 岳塘区 and no further.
DISPATCHED_LINE = {
    "channel": "phone",
    "received_at": "2026-03-02T09:00:00+08:00",
    "appeal_type": "complaint",
    "content": "夜间施工噪音扰民",
    "citizen": {"name": "王女士", "phone": "13800000002"},
    "disposition": "dispatched",
    "events": [{"type": "dispatch", "at": "2026-03-02T09:05:00+08:00", "unit": "U-YT"}],
}


def history_file(folder: Path, *lines: dict) -> Path:
    """A history file (JSON Lines) of ``lines`` in ``folder``."""
    path = folder / "orders.jsonl"
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path
