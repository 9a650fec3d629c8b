"""The Longshan screening as an outbound campaign (SPEC 8): upload, share, call, sum up,
export — and the refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from hotline.calls.models import Campaign, CampaignTarget
from hotline.domain.enums import Role
from tests.factories import user

pytestmark = pytest.mark.django_db

QUESTIONS = "近14天是否去过中高风险地区？\n是否有发热、咳嗽症状？"


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("名单.xlsx", data.getvalue())


def longshan(n: int):
    return [
        ["电话", "姓名", "备注"],
        *([f"1380000{i:04d}", f"居民{i}", "石牌镇"] for i in range(n)),
    ]


def create(client, upload, name="龙山县疫情排查"):
    return client.post("/campaigns/manage/", {"name": name, "questions": QUESTIONS, "file": upload})


def test_the_longshan_screening_from_upload_to_export(signed_in, city):
    office = signed_in(Role.SUPERVISOR)
    response = create(office, xlsx(longshan(5000)))
    assert response.status_code == 302, response.content.decode()[:500]
    campaign = Campaign.objects.get()
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 5000
    second = user(Role.OPERATOR, username="op2")
    agents = [city.users[Role.OPERATOR].pk, second.pk, city.users[Role.CALLBACK_AGENT].pk]
    response = office.post(f"/campaigns/{campaign.pk}/assign/", {"agents": agents})
    assert response.status_code == 302
    shared = CampaignTarget.objects.filter(campaign=campaign).values_list("agent", flat=True)
    assert sorted(list(shared).count(a) for a in agents) == [1666, 1667, 1667]

    operator = signed_in(Role.OPERATOR)
    mine = list(operator.get(f"/campaigns/{campaign.pk}/").context["mine"])
    first, second_target, third = mine[:3]
    url = f"/campaigns/{campaign.pk}/targets/"
    assert (
        operator.post(
            f"{url}{first.pk}/", {"result": "completed", "answer_1": "否", "answer_2": "否"}
        ).status_code
        == 302
    )
    assert (
        operator.post(
            f"{url}{second_target.pk}/", {"result": "completed", "answer_1": "是", "answer_2": "否"}
        ).status_code
        == 302
    )
    assert operator.post(f"{url}{third.pk}/", {"result": "unreachable"}).status_code == 302
    refused = operator.post(f"{url}{mine[3].pk}/", {"result": "completed", "answer_1": "否"})
    assert refused.status_code == 400 and "请填写第 2 题的回答" in refused.content.decode()

    office = signed_in(Role.SUPERVISOR)  # the same test client, the office again
    page = office.get(f"/campaigns/{campaign.pk}/")
    progress = page.context["progress"]
    assert (progress.total, progress.called, progress.percent) == (5000, 3, 0.1)
    assert progress.by_result["已完成"] == 2 and progress.by_result["未接通"] == 1
    summary = page.context["summary"]
    assert summary[0]["answers"] == [("否", 1), ("是", 1)]
    assert summary[1]["answers"] == [("否", 2)]

    export = office.get(f"/campaigns/{campaign.pk}/export/")
    assert export.status_code == 200, export.status_code
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("行号,电话,姓名,备注,话务员,结果,外呼时间,近14天")
    assert len(lines) == 5001
    first_line = CampaignTarget.objects.select_related("agent").get(campaign=campaign, line=2)
    assert lines[1].startswith(f"2,13800000000,居民0,石牌镇,{first_line.agent.username},")
    done = next(line for line in lines if line.startswith(f"{first.line},"))
    assert done.endswith(",否,否") and ",operator,已完成," in done


def test_an_agent_cannot_record_a_number_given_to_someone_else(signed_in, city):
    office = signed_in(Role.SUPERVISOR)
    create(office, xlsx(longshan(2)))
    campaign = Campaign.objects.get()
    office.post(
        f"/campaigns/{campaign.pk}/assign/", {"agents": [city.users[Role.CALLBACK_AGENT].pk]}
    )
    target = CampaignTarget.objects.filter(campaign=campaign).first()
    response = signed_in(Role.OPERATOR).post(
        f"/campaigns/{campaign.pk}/targets/{target.pk}/", {"result": "unreachable"}
    )
    assert response.status_code == 400 and "该号码未分配给您" in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "名单.csv", "电话,姓名\n13800000001,张三\n13800000001,李四\n".encode()
            ),
            "第 3 行：电话号码 13800000001 与第 2 行重复",
        ),
        (
            SimpleUploadedFile("名单.csv", "电话\n123\n".encode("gb18030")),
            "第 2 行：电话号码「123」不正确",
        ),
        (SimpleUploadedFile("名单.txt", b"x"), "名单须为 CSV 或 XLSX 文件"),
        (SimpleUploadedFile("名单.xlsx", b"not a workbook"), "无法读取该 XLSX 文件"),
    ],
)
def test_a_bad_list_is_refused_with_its_line_and_nothing_is_created(
    signed_in, city, upload, message
):
    response = create(signed_in(Role.SUPERVISOR), upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


def test_only_the_office_creates_campaigns(signed_in, city):
    response = create(signed_in(Role.OPERATOR), xlsx(longshan(2)))
    assert response.status_code == 403
    assert not Campaign.objects.exists()
