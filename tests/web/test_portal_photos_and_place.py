"""The portal's request with up to three photos, checked as a unit's attachments are,
and a place without a map: a region found by name or pinyin initials and the address;
and the favicon at the site's root."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.attachments.models import Attachment
from hotline.directory.models import Region
from hotline.directory.services import regions_spell
from hotline.domain.enums import Role
from hotline.orders.models import Order
from tests.web.test_portal import valid_request

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media_and_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def stored(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post(client, photos=(), **changes):
    data = valid_request(**changes)
    data["photos"] = list(photos)
    return client.post(reverse("portal:submit"), data)


def test_a_request_with_three_photos_and_a_community(client, city, settings):
    community = Region.objects.create(
        code="430304001002", name="书香社区", level="community", parent=city.street
    )
    regions_spell()
    photos = [
        SimpleUploadedFile("门口.png", PNG),
        SimpleUploadedFile("路面.jpg", JPEG),
        SimpleUploadedFile("全景.png", PNG),
    ]
    response = post(client, photos, region=community.code, address="书香社区3栋门口")
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.region, order.address) == (community, "书香社区3栋门口")
    files = Attachment.objects.filter(order=order).order_by("id")
    assert [f.name for f in files] == ["门口.png", "路面.jpg", "全景.png"]
    assert {f.unit_id for f in files} == {None} and {f.reply_id for f in files} == {None}
    assert len(stored(settings)) == 3
    # The office sees them on the order page, as the citizen's.
    client.force_login(city.users[Role.DISPATCHER])
    page = client.get(reverse("web:order_detail", args=[order.number])).content.decode()
    assert "门口.png" in page and "市民上传" in page


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        (
            [SimpleUploadedFile(f"{i}.png", PNG) for i in range(4)],
            "最多上传 3 张照片，您选择了 4 张",
        ),
        ([SimpleUploadedFile("说明.pdf", b"%PDF-1.4")], "「说明.pdf」不是照片"),
        ([SimpleUploadedFile("伪装.png", b"MZ\x90\x00" * 8)], "内容与文件类型不符"),
        ([SimpleUploadedFile("空.jpg", b"")], "是空文件"),
    ],
)
def test_refused_photos_write_nothing(client, city, settings, photos, message):
    response = post(client, photos)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Order.objects.exists() and not Attachment.objects.exists()
    assert stored(settings) == []


def test_a_photo_over_the_size_limit_is_refused(client, city, settings):
    settings.HOTLINE_ATTACHMENT_MAX_BYTES = 50
    response = post(client, [SimpleUploadedFile("大图.png", PNG)])
    assert response.status_code == 400 and "超过了 50 字节 的上限" in response.content.decode()
    assert not Order.objects.exists()


def test_the_region_picker_answers_anyone_by_name_or_initials(client, city):
    url = reverse("portal:region_search")
    assert 'value="430304001"' in client.get(url, {"q": "syl"}).content.decode()
    page = client.get(url, {"q": "书院"}).content.decode()
    assert 'type="radio" name="region" value="430304001"' in page
    form = client.get(reverse("portal:submit")).content.decode()
    assert f'hx-get="{url}?name=region"' in form and 'enctype="multipart/form-data"' in form
    assert 'name="photos"' in form and "multiple" in form


def test_the_favicon_answers_at_the_root(client, city):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
