"""The report pages: the list with downloads, the supervisor's editor and the current
month's statistics; leaders read, only the office writes, units see none of it."""

import copy
import json
import re
from datetime import date, timedelta

import pytest
from django.db import transaction

from hotline.domain.enums import Role
from hotline.orders.services import dispatch, handling, review
from hotline.reports import pdf, services
from hotline.reports.models import DraftCase, PublishedFile, PublishedReport, ReportDraft
from hotline.web.views import reports as report_views
from tests import factories
from tests.conftest import local
from tests.reports.conftest import DOCUMENT

pytestmark = pytest.mark.django_db

NOW = local(2024, 11, 20, 10, 0)
asked: list[tuple[date, date]] = []
# The real figures, for the tests that count an actual history.
STATISTICS = report_views.period_document
MONTH_STATISTICS = report_views.month_document


def document_for(start: date, end: date) -> dict:
    """The seed month's figures, for whatever period the page asks."""
    asked.append((start, end))
    document = copy.deepcopy(DOCUMENT)
    document["period"] = {"from": start.isoformat(), "to": end.isoformat()}
    return document


@pytest.fixture(autouse=True)
def _figures(monkeypatch):
    asked.clear()
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    monkeypatch.setattr(report_views, "period_document", document_for)
    monkeypatch.setattr(report_views, "month_document", document_for)
    # Publishing is a background job, queued when the request commits: here it runs at
    # once, in the request (the embedded runner's way when no thread is started).
    monkeypatch.setattr(transaction, "on_commit", lambda run, using=None, robust=False: run())
    # Printing through LibreOffice is tested with the documents; pages need not wait for it.
    monkeypatch.setattr(pdf, "pdf_from_docx", lambda word: b"%PDF-1.7 " + word[:64])


@pytest.fixture
def draft(city):
    return services.draft_create(
        start=date(2024, 10, 1), end=date(2024, 10, 31), actor=city.users[Role.SUPERVISOR], at=NOW
    )


def handled_order(city, at):
    unit = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, at, content="书院路夜间施工噪音扰民")
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=at
    )
    order = handling.order_sign(order=order, actor=unit, at=at + timedelta(hours=1))
    order = handling.order_reply(
        order=order, text="已要求工地夜间停工。", actor=unit, at=at + timedelta(days=1)
    )
    order = review.order_review(
        order=order, decision="accept", actor=city.users[Role.SUPERVISOR], at=at + timedelta(days=2)
    )
    return review.order_callback(
        order=order,
        result="basically_satisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=at + timedelta(days=3),
    )


def page_text(response) -> str:
    return response.content.decode()


# --- who may open what ------------------------------------------------------------------


def test_a_leader_reads_reports_and_statistics_but_cannot_edit(signed_in, draft):
    client = signed_in(Role.LEADER)
    assert client.get("/reports/").status_code == 200
    assert client.get("/statistics/").status_code == 200
    assert client.get("/reports/new/").status_code == 403
    assert client.get(f"/reports/{draft.pk}/edit/").status_code == 403
    response = client.post(f"/reports/{draft.pk}/edit/", {"action": "publish"})
    assert response.status_code == 403
    assert not PublishedReport.objects.exists()
    # Drafts are the office's working copies: a leader sees published reports only.
    assert "草稿" not in page_text(client.get("/reports/"))


@pytest.mark.parametrize("role", [Role.UNIT_HANDLER, Role.OPERATOR, Role.CALLBACK_AGENT])
def test_other_roles_are_refused(signed_in, draft, role):
    client = signed_in(role)
    for path in ("/reports/", "/statistics/", "/reports/new/", f"/reports/{draft.pk}/edit/"):
        assert client.get(path).status_code == 403, path


def test_the_menu_shows_the_report_pages_to_a_leader(signed_in):
    text = page_text(signed_in(Role.LEADER).get("/statistics/"))
    assert 'href="/reports/"' in text and 'href="/statistics/"' in text


# --- the current month ------------------------------------------------------------------


def test_the_dashboard_shows_this_months_figures_and_charts(signed_in):
    response = signed_in(Role.LEADER).get("/statistics/")
    assert asked == [(date(2024, 11, 1), date(2024, 11, 20))]
    text = page_text(response)
    assert "2024年11月1日至11月20日" in text
    for figure in ("30044", "20676", "68.82%", "9368", "99.03%", "90.79%", "81.79%"):
        assert figure in text, figure
    assert text.count('class="share-chart"') == 3  # the dashboard's charts, as SVG
    assert "消费维权" in text and "岳塘区" in text
    # Accepted against November 2023 and October 2024.
    assert "+3026（+11.20%）" in text and "-1422（-4.52%）" in text


def test_a_comparison_with_a_period_without_orders_says_so(signed_in, monkeypatch):
    def first_year(start, end):
        document = document_for(start, end)
        for figures in document["compare"]["year_on_year"].values():
            if isinstance(figures, dict) and "previous" in figures:
                figures.update(previous=0, change=figures["current"], change_rate=None)
        return document

    monkeypatch.setattr(report_views, "month_document", first_year)
    text = page_text(signed_in(Role.LEADER).get("/statistics/"))
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td[^>]*>(.*?)</td>", text)
    assert rows and all(year_on_year == "无可比数据" for _, year_on_year in rows)
    assert "+30044" not in text
    # 环比 still compares with October.
    assert "-1422（-4.52%）" in text


def test_the_dashboard_counts_again_when_the_data_change(signed_in, city):
    client = signed_in(Role.SUPERVISOR)
    client.get("/statistics/")
    client.get("/statistics/")
    assert len(asked) == 1  # nothing written between the two loads
    factories.register(city, local(2024, 11, 20, 9))
    client.get("/statistics/")
    assert len(asked) == 2


# --- creating and editing a draft -------------------------------------------------------


def test_a_new_report_starts_from_last_month(signed_in):
    text = page_text(signed_in(Role.SUPERVISOR).get("/reports/new/"))
    assert 'name="year" value="2024"' in text
    assert '<option value="10" selected>10月</option>' in text


@pytest.mark.parametrize(
    ("data", "period"),
    [
        ({"kind": "month", "year": "2024", "month": "11"}, (date(2024, 11, 1), date(2024, 11, 30))),
        (
            {"kind": "quarter", "year": "2020", "quarter": "1"},
            (date(2020, 1, 1), date(2020, 3, 31)),
        ),
        ({"kind": "year", "year": "2024"}, (date(2024, 1, 1), date(2024, 12, 31))),
        (
            {"kind": "range", "start": "2024-11-01", "end": "2024-11-15"},
            (date(2024, 11, 1), date(2024, 11, 15)),
        ),
    ],
)
def test_creating_a_draft_for_each_kind_of_period(signed_in, city, data, period):
    response = signed_in(Role.SUPERVISOR).post("/reports/new/", data)
    draft = ReportDraft.objects.get()
    assert response.status_code == 302
    assert response.url == f"/reports/{draft.pk}/edit/"
    assert (draft.start, draft.end) == period
    assert draft.created_by == city.users[Role.SUPERVISOR]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "range", "start": "2024-11-01"}, "自定义期间请填写起始日期和截止日期"),
        ({"kind": "range", "start": "2024-11-30", "end": "2024-11-01"}, "起始日期不能晚于截止日期"),
        ({"kind": "month", "year": "2024"}, "请选择月份"),
        ({"kind": "quarter", "month": "1"}, "请填写年份"),
    ],
)
def test_a_bad_period_is_explained(signed_in, data, message):
    response = signed_in(Role.SUPERVISOR).post("/reports/new/", data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not ReportDraft.objects.exists()


def test_the_editor_previews_the_figures_of_its_period(signed_in, draft):
    response = signed_in(Role.SUPERVISOR).get(f"/reports/{draft.pk}/edit/")
    assert response.status_code == 200
    assert asked == [(date(2024, 10, 1), date(2024, 10, 31))]
    text = page_text(response)
    assert "12345政务服务便民热线2024年10月份运行情况通报" in text
    assert "在线办结率68.82%" in text
    assert "以上10家单位工单承办量占转办工单总量的81.79%" in text
    assert '<option value="10" selected>10月</option>' in text


def test_saving_the_narrative_shows_it_in_the_preview(signed_in, draft):
    client = signed_in(Role.SUPERVISOR)
    response = client.post(
        f"/reports/{draft.pk}/edit/",
        {
            "action": "save",
            "kind": "quarter",
            "year": "2024",
            "quarter": "4",
            "title": "湘潭市2024年第四季度运行情况通报",
            "experience": "湘潭县坚持先培训、后上岗。",
            "problems": "有的单位调查核实不够深入。",
            "next_steps": "强化责任担当。",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.start, draft.end) == (date(2024, 10, 1), date(2024, 12, 31))
    text = page_text(client.get(response.url))
    assert "三、经验做法" in text and "湘潭县坚持先培训、后上岗。" in text
    assert "四、存在的问题" in text and "五、下一步工作要求" in text
    assert "草稿已保存" in text


def test_a_bad_save_changes_nothing(signed_in, draft):
    response = signed_in(Role.SUPERVISOR).post(
        f"/reports/{draft.pk}/edit/",
        {"action": "save", "kind": "range", "start": "2024-12-01", "end": "2024-11-01"},
    )
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in page_text(response)
    draft.refresh_from_db()
    assert (draft.start, draft.end) == (date(2024, 10, 1), date(2024, 10, 31))


def test_picking_a_case_by_its_number_prefills_it(signed_in, city, draft):
    order = handled_order(city, local(2024, 10, 8, 9))
    client = signed_in(Role.SUPERVISOR)
    response = client.post(
        f"/reports/{draft.pk}/edit/",
        {"action": "case_add", "number": order.number, "kind": "excellent"},
    )
    assert response.status_code == 302
    case = DraftCase.objects.get()
    assert case.complaint == "书院路夜间施工噪音扰民"
    assert case.result == "派单至岳塘区，10月9日，岳塘区回复：已要求工地夜间停工。"
    assert case.callback == "诉求人对处理结果基本满意。"
    text = page_text(client.get(response.url))
    assert f"案件公文号{order.number}" in text
    assert "优秀案例" in text


def test_an_unknown_case_number_is_explained(signed_in, draft):
    response = signed_in(Role.SUPERVISOR).post(
        f"/reports/{draft.pk}/edit/",
        {"action": "case_add", "number": "20249999999", "kind": "typical"},
    )
    assert response.status_code == 400
    assert "未找到工单「20249999999」" in page_text(response)
    response = signed_in(Role.SUPERVISOR).post(
        f"/reports/{draft.pk}/edit/", {"action": "case_add", "number": "abc", "kind": "typical"}
    )
    assert response.status_code == 400
    assert "工单编号只能是数字" in page_text(response)
    assert not DraftCase.objects.exists()


def test_editing_and_removing_a_case(signed_in, city, draft):
    order = handled_order(city, local(2024, 10, 8, 9))
    client = signed_in(Role.SUPERVISOR)
    client.post(
        f"/reports/{draft.pk}/edit/",
        {"action": "case_add", "number": order.number, "kind": "typical"},
    )
    case = DraftCase.objects.get()
    prefix = f"case{case.pk}"
    response = client.post(
        f"/reports/{draft.pk}/edit/",
        {
            "action": "case_save",
            "case": case.pk,
            f"{prefix}-kind": "excellent",
            f"{prefix}-title": "岳塘区连夜处置施工噪音",
            f"{prefix}-complaint": "夜间施工噪音扰民",
            f"{prefix}-result": "已停工",
            f"{prefix}-callback": "满意",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.kind, case.title, case.result) == ("excellent", "岳塘区连夜处置施工噪音", "已停工")

    response = client.post(
        f"/reports/{draft.pk}/edit/",
        {
            "action": "case_save",
            "case": case.pk,
            f"{prefix}-kind": "typical",
            f"{prefix}-complaint": "",
        },
    )
    assert response.status_code == 400
    assert "请填写来电反映" in page_text(response)

    response = client.post(f"/reports/{draft.pk}/edit/", {"action": "case_remove", "case": case.pk})
    assert response.status_code == 302
    assert not DraftCase.objects.exists()


def test_a_case_of_another_draft_is_not_found(signed_in, city, draft):
    other = services.draft_create(
        start=date(2024, 9, 1), end=date(2024, 9, 30), actor=city.users[Role.SUPERVISOR]
    )
    order = handled_order(city, local(2024, 10, 8, 9))
    case = services.draft_case_add(
        draft=other, number=order.number, kind="typical", actor=city.users[Role.SUPERVISOR]
    )
    response = signed_in(Role.SUPERVISOR).post(
        f"/reports/{draft.pk}/edit/", {"action": "case_remove", "case": case.pk}
    )
    assert response.status_code == 404
    assert DraftCase.objects.filter(pk=case.pk).exists()


def test_an_unknown_draft_is_not_found(signed_in):
    assert signed_in(Role.SUPERVISOR).get("/reports/999/edit/").status_code == 404


# --- publishing and downloading ---------------------------------------------------------


def test_publishing_and_downloading_every_format(signed_in, city, draft):
    client = signed_in(Role.SUPERVISOR)
    response = client.post(f"/reports/{draft.pk}/edit/", {"action": "publish"}, follow=True)
    report = PublishedReport.objects.get()
    assert (report.start, report.end, report.version) == (date(2024, 10, 1), date(2024, 10, 31), 1)
    assert report.published_by == city.users[Role.SUPERVISOR]
    # The editor's page shows how the publishing went.
    assert "已发布「12345政务服务便民热线2024年10月份运行情况通报」第1版" in page_text(response)
    text = page_text(client.get("/reports/"))
    for fmt in ("docx", "pdf", "html", "xlsx", "json"):
        assert f"/reports/published/{report.pk}/{fmt}/" in text

    leader = signed_in(Role.LEADER)
    download = leader.get(f"/reports/published/{report.pk}/json/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json"
    assert json.loads(download.content)["intake"]["accepted"] == 30044
    word = leader.get(f"/reports/published/{report.pk}/docx/")
    assert word.content == bytes(PublishedFile.objects.get(report=report, format="docx").content)
    assert "attachment;" in word["Content-Disposition"]
    assert "filename*=UTF-8''" in word["Content-Disposition"]
    assert leader.get(f"/reports/published/{report.pk}/odt/").status_code == 404
    assert leader.get("/reports/published/999/docx/").status_code == 404


def test_a_unit_handler_cannot_download(signed_in, city, draft):
    report = services.report_publish(
        draft=draft,
        document=document_for(draft.start, draft.end),
        actor=city.users[Role.SUPERVISOR],
    )
    response = signed_in(Role.UNIT_HANDLER).get(f"/reports/published/{report.pk}/docx/")
    assert response.status_code == 403


def test_publishing_again_lists_both_versions(signed_in, draft):
    client = signed_in(Role.SUPERVISOR)
    client.post(f"/reports/{draft.pk}/edit/", {"action": "publish"})
    client.post(f"/reports/{draft.pk}/edit/", {"action": "publish"})
    assert sorted(PublishedReport.objects.values_list("version", flat=True)) == [1, 2]
    text = page_text(client.get("/reports/"))
    assert "第1版" in text and "第2版" in text
    editor = page_text(client.get(f"/reports/{draft.pk}/edit/"))
    assert re.search(r"本期已发布：第2版.*第1版", editor)


def test_a_failed_publication_is_explained(signed_in, draft, monkeypatch):
    def broken(word):
        raise pdf.PdfUnavailable("服务器未安装 LibreOffice，无法生成 PDF")

    monkeypatch.setattr(pdf, "pdf_from_docx", broken)
    client = signed_in(Role.SUPERVISOR)
    client.post(f"/reports/{draft.pk}/edit/", {"action": "publish"})
    # The job failed after the request: the page says why.
    assert "发布失败：服务器未安装 LibreOffice" in page_text(
        client.get(f"/reports/{draft.pk}/edit/")
    )
    assert not PublishedReport.objects.exists()


def test_the_list_shows_drafts_to_the_office(signed_in, draft):
    text = page_text(signed_in(Role.SUPERVISOR).get("/reports/"))
    assert "新建通报" in text
    assert f"/reports/{draft.pk}/edit/" in text


# --- with the real statistics -----------------------------------------------------------


def test_the_pages_with_the_statistics_of_a_real_history(signed_in, city, monkeypatch):
    monkeypatch.setattr(report_views, "period_document", STATISTICS)
    monkeypatch.setattr(report_views, "month_document", MONTH_STATISTICS)
    handled_order(city, local(2024, 11, 4, 9))
    factories.register(
        city, local(2024, 11, 5, 9), appeal_type="consult", category=city.water_supply
    )
    client = signed_in(Role.SUPERVISOR)

    text = page_text(client.get("/statistics/"))
    assert "2024年11月1日至11月20日" in text
    assert (
        '<div class="value">2<small class="hint"> 件</small></div><div class="name">受理</div>'
        in text
    )
    assert text.count('class="share-chart"') == 3  # the dashboard's charts, as SVG
    # The page counts only what it shows, and those figures are the report's.
    month = MONTH_STATISTICS(date(2024, 11, 1), date(2024, 11, 20))
    whole = STATISTICS(date(2024, 11, 1), date(2024, 11, 20))
    expected = {key: whole[key] for key in month}
    # Who asked (the citizens' kinds) is not shown, so not counted.
    expected["intake"] = {k: v for k, v in whole["intake"].items() if k != "citizens"}
    assert month == expected and "citizens" in whole["intake"]
    assert "assessment" not in month and month["intake"]["accepted"] == 2

    client.post("/reports/new/", {"kind": "month", "year": "2024", "month": "11"})
    draft = ReportDraft.objects.get()
    preview = page_text(client.get(f"/reports/{draft.pk}/edit/"))
    assert "受理（含电话、微信、网站等网上渠道）各类诉求2件" in preview
    # The month is not over: publishing now needs a reason (SPEC 5, 2026-12 appeal window).
    refused = client.post(f"/reports/{draft.pk}/edit/", {"action": "publish"})
    assert refused.status_code == 400 and "申诉期限至" in refused.content.decode()
    early = {"action": "publish", "override_reason": "月中发布，供领导参阅"}
    client.post(f"/reports/{draft.pk}/edit/", early)
    report = PublishedReport.objects.get()
    assert report.document["period"] == {"from": "2024-11-01", "to": "2024-11-30"}
    assert report.document["intake"]["accepted"] == 2
    assert report.document["top_units"]["units"][0]["name"] == "岳塘区"


# --- the 公文's settings (SPEC 7, 2026-12) -------------------------------------------------


def test_a_broken_number_pattern_is_refused_on_the_settings_page(signed_in):
    client = signed_in(Role.SUPERVISOR)
    data = {"key": "report_number_pattern", "value": "潭数〔{year}〕{n号"}
    response = client.post("/office/settings/", data)
    assert response.status_code == 400
    assert "文号格式「潭数〔{year}〕{n号」的大括号不成对" in page_text(response)
    data["value"] = "潭数〔{year}〕{n}号"
    assert client.post("/office/settings/", data).status_code == 302
    issuer = {"key": "report_issuer", "value": "湘潭市数据局"}
    assert client.post("/office/settings/", issuer).status_code == 302
    new = {"kind": "month", "year": "2024", "month": "10"}
    preview = page_text(client.post("/reports/new/", new, follow=True))
    # The draft's preview is under the letterhead; the 文号 is given at publishing.
    assert "湘潭市数据局" in preview
    assert "潭数〔" not in preview
