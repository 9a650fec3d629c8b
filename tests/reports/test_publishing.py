"""Publishing as a background job with its progress, the 公文's 文号 and 成文日期, and
cases that need a confirmation (SPEC 7, 2026-12)."""

import copy
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, transaction

from hotline.configuration.services import setting_set
from hotline.domain.enums import Role
from hotline.orders.services import review
from hotline.reports import pdf, publishing, selectors, services
from hotline.reports.models import PublishedReport, ReportPublishing
from tests.conftest import local
from tests.reports.conftest import DOCUMENT
from tests.reports.test_services import AT, handled_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(monkeypatch):
    monkeypatch.setattr(pdf, "pdf_from_docx", lambda word: b"%PDF-1.7 " + word[:64])


def november():
    return copy.deepcopy(DOCUMENT)


def test_publishing_runs_as_a_job_and_records_each_step(
    draft, supervisor, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    real = publishing._progress

    def watching(row):
        step = real(row)

        def record(name):
            step(name)
            seen.append(ReportPublishing.objects.values_list("step", "done_steps").get(pk=row.pk))

        return record

    monkeypatch.setattr(publishing, "_progress", watching)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        asked = services.report_publish_request(
            draft=draft, document=november(), actor=supervisor, at=AT
        )
    # Nothing is rendered in the request: the job is queued when it commits.
    assert asked.status == ReportPublishing.Status.QUEUED
    assert not PublishedReport.objects.exists()
    assert len(queued) == 1
    queued[0]()  # the runner delivers it (at once here: no runner thread in tests)

    asked.refresh_from_db()
    assert asked.status == ReportPublishing.Status.DONE
    assert asked.percent == 100
    assert asked.report.version == 1 and asked.report.published_at == AT
    assert [name for name, _ in seen] == [
        "生成 JSON 数据",
        "生成网页",
        "生成 Excel 表格",
        "生成 Word 公文",
        "打印 PDF（LibreOffice）",
    ]
    assert [done for _, done in seen] == [1, 2, 3, 4, 5]
    # Delivered again (at least once): nothing more is published.
    publishing.report_publish_run(now=AT, publishing=asked.pk)
    assert PublishedReport.objects.count() == 1
    # The published version stays as it was stored.
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedReport.objects.filter(pk=asked.report.pk).update(title="改过的标题")


def test_one_publishing_of_a_draft_at_a_time(draft, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        services.report_publish_request(draft=draft, document=november(), actor=supervisor, at=AT)
        with pytest.raises(services.PublishingUnderWay, match="正在发布中"):
            services.report_publish_request(
                draft=draft, document=november(), actor=supervisor, at=AT
            )


def test_a_failed_job_says_why(draft, supervisor, monkeypatch, django_capture_on_commit_callbacks):
    def broken(word):
        raise pdf.PdfUnavailable("服务器未安装 LibreOffice，无法生成 PDF")

    monkeypatch.setattr(pdf, "pdf_from_docx", broken)
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.report_publish_request(
            draft=draft, document=november(), actor=supervisor, at=AT
        )
    asked.refresh_from_db()
    assert asked.status == ReportPublishing.Status.FAILED
    assert asked.error == "服务器未安装 LibreOffice，无法生成 PDF"
    assert not PublishedReport.objects.exists()


def test_inside_the_appeal_window_the_request_is_refused_at_once(draft, supervisor):
    with pytest.raises(services.AppealWindowOpen, match="截止后方可发布"):
        services.report_publish_request(
            draft=draft, document=november(), actor=supervisor, at=local(2024, 12, 2, 9)
        )
    assert not ReportPublishing.objects.exists()


# --- the 公文's 文号 and 成文日期 -------------------------------------------------------


def test_each_period_gets_the_years_next_number_and_keeps_it(draft, supervisor):
    setting_set(key="report_issuer", text="湘潭市数据局")
    setting_set(key="report_number_pattern", text="潭数〔{year}〕{n}号")
    first = services.report_publish(
        draft=draft, document=copy.deepcopy(DOCUMENT), actor=supervisor, at=AT
    )
    assert first.editorial["letterhead"]["number"] == "潭数〔2024〕1号"
    assert first.editorial["letterhead"]["issued_on"] == "2024-12-05"
    again = services.report_publish(
        draft=draft, document=copy.deepcopy(DOCUMENT), actor=supervisor, at=AT + timedelta(days=1)
    )
    assert again.version == 2
    assert again.editorial["letterhead"]["number"] == "潭数〔2024〕1号"  # the same document
    assert again.editorial["letterhead"]["issued_on"] == "2024-12-06"
    october = services.draft_create(
        start=date(2024, 10, 1), end=date(2024, 10, 31), actor=supervisor, at=AT
    )
    document = copy.deepcopy(DOCUMENT) | {"period": {"from": "2024-10-01", "to": "2024-10-31"}}
    other = services.report_publish(draft=october, document=document, actor=supervisor, at=AT)
    assert other.editorial["letterhead"]["number"] == "潭数〔2024〕2号"
    html = bytes(other.files.get(format="html").content).decode()
    assert "潭数〔2024〕2号" in html and "湘潭市数据局" in html


# --- cases --------------------------------------------------------------------------------


def _case(city, draft, **callback):
    """A case of an order of 岳塘区 called back again on 9 November with ``callback``."""
    order = handled_order(city, local(2024, 11, 4, 9))
    review.order_callback(
        order=order, actor=city.users[Role.CALLBACK_AGENT], at=local(2024, 11, 9, 9), **callback
    )
    supervisor = city.users[Role.SUPERVISOR]
    return services.draft_case_add(
        draft=draft, number=order.number, kind="excellent", actor=supervisor
    )


def test_the_callback_line_says_what_the_citizen_said(city, draft):
    case = _case(
        city, draft, result="satisfied", solved="solved", note="排水管已经维修，生活污水也清理了"
    )
    assert case.callback == "诉求人对处理结果满意。问题已解决。排水管已经维修，生活污水也清理了。"


def test_an_unsatisfied_case_is_flagged_and_needs_a_confirmation(city, draft, supervisor):
    case = _case(city, draft, result="unsatisfied", solved="not_solved")
    assert selectors.case_warnings(order=case.order) == ["最近一次回访诉求人不满意"]
    number = case.order.number
    with pytest.raises(services.CaseNotConfirmed, match=f"案例（工单 {number}）最近一次"):
        services.report_publish(
            draft=draft, document=copy.deepcopy(DOCUMENT), actor=supervisor, at=AT
        )
    with pytest.raises(services.CaseNotConfirmed):
        services.report_publish_request(draft=draft, document=november(), actor=supervisor, at=AT)
    services.draft_case_confirm(case=case, actor=supervisor, at=AT)
    report = services.report_publish(
        draft=draft, document=copy.deepcopy(DOCUMENT), actor=supervisor, at=AT
    )
    assert report.version == 1


def test_an_order_in_rework_is_flagged(city, draft):
    case = _case(city, draft, result="unsatisfied", rework=True)
    assert selectors.case_warnings(order=case.order) == [
        "工单正在返工重办，尚未办结",
        "最近一次回访诉求人不满意",
    ]
