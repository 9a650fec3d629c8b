"""Directory reads and the dispatch catalogue's suggestion."""

from hotline.directory.models import CatalogueEntry
from hotline.domain.enums import Role
from tests.api.conftest import error_of


def test_directory_lists(city, client_for):
    client = client_for(Role.DISPATCHER)
    regions = {r["code"]: r for r in client.get("/api/regions/").json()}
    assert regions["430304001"] == {
        "code": "430304001",
        "name": "书院路街道",
        "level": "town",
        "parent_code": "430304",
    }
    assert regions["430300"]["parent_code"] is None
    units = {u["code"]: u for u in client.get("/api/units/").json()}
    assert units["U-YT-SYL"] == {
        "code": "U-YT-SYL",
        "name": "书院路街道",
        "kind": "town_government",
        "parent_code": "U-YT",
        "region_codes": ["430304001"],
        "active": True,
    }
    categories = {c["code"]: c for c in client.get("/api/categories/").json()}
    assert categories["0501"] == {
        "code": "0501",
        "name": "噪音扰民",
        "level": 2,
        "parent_code": "05",
        "active": True,
    }
    assert client.get("/api/tags/").json() == []


def test_catalogue_suggestion(city, client_for):
    client = client_for(Role.DISPATCHER)
    by_territory = client.get("/api/catalogue/suggestion/?category=0501&region=430302").json()
    assert by_territory == {
        "lead": {"code": "U-YH", "name": "雨湖区"},
        "co_units": [],
        "basis": "",
    }
    CatalogueEntry.objects.filter(category__code="0301").update(basis="供水企业服务承诺第三条")
    by_competence = client.get("/api/catalogue/suggestion/?category=0301").json()
    assert by_competence["lead"]["code"] == "U-ZHSW"
    assert by_competence["basis"] == "供水企业服务承诺第三条"
    none = client.get("/api/catalogue/suggestion/?category=05").json()
    assert none == {"lead": None, "co_units": [], "basis": ""}
    unknown = client.get("/api/catalogue/suggestion/?category=99")
    assert (unknown.status_code, error_of(unknown)["field"]) == (400, "category")
