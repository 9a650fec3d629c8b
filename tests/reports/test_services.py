"""Drafting and publishing reports: the supervisor's draft, cases prefilled from the
order, and published reports that never change (SPEC 7)."""

import copy
import json
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from hotline.domain.enums import Role
from hotline.domain.permissions import NotPermitted
from hotline.orders.services import dispatch, handling, review
from hotline.reports import pdf, selectors, services
from hotline.reports.editorial import CaseKind
from hotline.reports.models import DraftCase, PublishedFile, PublishedReport
from tests import factories
from tests.conftest import local
from tests.reports.conftest import DOCUMENT

pytestmark = pytest.mark.django_db

NOVEMBER = (date(2024, 11, 1), date(2024, 11, 30))
# After November's appeal window (SPEC 5, 2026-12: publishing waits for it).
AT = local(2024, 12, 5, 9)


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    """Printing through LibreOffice is tested in test_rendering; here a stand-in keeps the
    publishing tests quick."""
    monkeypatch.setattr(pdf, "pdf_from_docx", lambda word: b"%PDF-1.7 " + word[:64])


def handled_order(city, at):
    """An order of 岳塘区: dispatched, replied, accepted and called back satisfied."""
    unit = city.users[Role.UNIT_HANDLER]
    order = factories.register(city, at, content="小区楼下夜间施工噪音扰民，影响休息")
    order = dispatch.order_dispatch(
        order=order, lead=city.district, actor=city.users[Role.DISPATCHER], at=at
    )
    order = handling.order_sign(order=order, actor=unit, at=at + timedelta(hours=1))
    order = handling.order_reply(
        order=order, text="已责令施工单位22时后停止作业。", actor=unit, at=at + timedelta(days=1)
    )
    order = review.order_review(
        order=order,
        decision="accept",
        actor=city.users[Role.SUPERVISOR],
        at=at + timedelta(days=2),
    )
    return review.order_callback(
        order=order,
        result="satisfied",
        actor=city.users[Role.CALLBACK_AGENT],
        at=at + timedelta(days=3),
    )


# --- drafts -----------------------------------------------------------------------------


def test_only_the_office_drafts_reports(city):
    for role in (Role.LEADER, Role.UNIT_HANDLER, Role.OPERATOR, Role.ADMINISTRATOR):
        with pytest.raises(NotPermitted):
            services.draft_create(start=NOVEMBER[0], end=NOVEMBER[1], actor=city.users[role])


def test_a_period_must_run_forwards(supervisor):
    with pytest.raises(services.ReportRefused, match="起始日期不能晚于截止日期"):
        services.draft_create(start=date(2024, 12, 1), end=date(2024, 11, 1), actor=supervisor)


def test_saving_the_narrative(draft, supervisor):
    services.draft_save(
        draft=draft,
        actor=supervisor,
        start=date(2024, 10, 1),
        end=date(2024, 12, 31),
        title="  2024年第四季度通报  ",
        experience="经验一\n经验二",
        problems="问题",
        next_steps="要求",
        at=AT + timedelta(hours=1),
    )
    draft.refresh_from_db()
    assert (draft.start, draft.end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert draft.title == "2024年第四季度通报"
    assert draft.updated_at == AT + timedelta(hours=1)
    editorial = selectors.draft_editorial(draft=draft)
    assert (editorial.experience, editorial.problems, editorial.next_steps) == (
        "经验一\n经验二",
        "问题",
        "要求",
    )


def test_a_case_is_prefilled_from_the_order(city, draft, supervisor):
    order = handled_order(city, local(2024, 11, 4, 9))
    case = services.draft_case_add(
        draft=draft, number=order.number, kind="excellent", actor=supervisor
    )
    assert case.kind == CaseKind.EXCELLENT
    assert case.complaint == "小区楼下夜间施工噪音扰民，影响休息"
    assert case.result == "派单至岳塘区，11月5日，岳塘区回复：已责令施工单位22时后停止作业。"
    assert case.callback == "诉求人对处理结果满意。"


def test_a_case_from_an_order_answered_at_intake(city, draft, supervisor):
    from hotline.orders.services.intake import order_answer

    order = factories.register(city, local(2024, 11, 4, 9), content="咨询疫情防控办公室电话")
    order_answer(order=order, actor=city.users[Role.OPERATOR], at=local(2024, 11, 4, 9, 5))
    case = services.draft_case_add(
        draft=draft, number=order.number, kind="typical", actor=supervisor
    )
    assert (case.complaint, case.result, case.callback) == (
        "咨询疫情防控办公室电话",
        "话务员当场答复。",
        "",
    )


def test_cases_are_refused_for_unknown_or_repeated_orders(city, draft, supervisor):
    order = handled_order(city, local(2024, 11, 4, 9))
    with pytest.raises(services.ReportRefused, match="未找到工单「20249999999」"):
        services.draft_case_add(draft=draft, number="20249999999", kind="typical", actor=supervisor)
    services.draft_case_add(draft=draft, number=order.number, kind="typical", actor=supervisor)
    with pytest.raises(services.ReportRefused, match="已在案例摘选中"):
        services.draft_case_add(draft=draft, number=order.number, kind="typical", actor=supervisor)
    assert draft.cases.count() == 1


def test_editing_and_removing_cases(city, draft, supervisor):
    first = handled_order(city, local(2024, 11, 4, 9))
    second = handled_order(city, local(2024, 11, 5, 9))
    one = services.draft_case_add(
        draft=draft, number=first.number, kind="typical", actor=supervisor
    )
    two = services.draft_case_add(
        draft=draft, number=second.number, kind="typical", actor=supervisor
    )
    services.draft_case_save(
        case=two,
        actor=supervisor,
        kind="excellent",
        title="岳塘区连夜处置施工噪音",
        complaint="夜间施工噪音",
        result="已停工",
        callback="满意",
    )
    with pytest.raises(services.ReportRefused, match="来电反映"):
        services.draft_case_save(
            case=one,
            actor=supervisor,
            kind="typical",
            title="",
            complaint=" ",
            result="",
            callback="",
        )
    services.draft_case_remove(case=one, actor=supervisor)
    cases = selectors.draft_editorial(draft=draft).cases
    assert [(c.number, c.kind, c.title, c.complaint) for c in cases] == [
        (second.number, CaseKind.EXCELLENT, "岳塘区连夜处置施工噪音", "夜间施工噪音")
    ]


# --- publishing -------------------------------------------------------------------------


def november():
    return copy.deepcopy(DOCUMENT)


def test_publishing_stores_the_document_the_editorial_and_every_file(draft, supervisor):
    services.draft_save(
        draft=draft,
        actor=supervisor,
        start=NOVEMBER[0],
        end=NOVEMBER[1],
        title="湘潭市2024年11月份运行情况的通报",
        experience="经验",
        problems="问题",
        next_steps="要求",
    )
    report = services.report_publish(draft=draft, document=november(), actor=supervisor, at=AT)
    assert (report.start, report.end, report.version) == (*NOVEMBER, 1)
    assert report.title == "湘潭市2024年11月份运行情况的通报"
    assert report.published_by == supervisor and report.published_at == AT
    assert report.document == DOCUMENT
    assert report.editorial["experience"] == "经验"
    files = {f.format: bytes(f.content) for f in report.files.all()}
    assert set(files) == {"docx", "pdf", "html", "xlsx", "json"}
    assert json.loads(files["json"]) == DOCUMENT
    assert "湘潭市2024年11月份运行情况的通报" in files["html"].decode()
    stored = PublishedFile.objects.get(report=report, format="docx")
    assert stored.size == len(files["docx"]) and len(stored.sha256) == 64


def test_publishing_again_makes_the_next_version_and_keeps_the_first(draft, supervisor):
    first = services.report_publish(draft=draft, document=november(), actor=supervisor, at=AT)
    first_files = {f.format: bytes(f.content) for f in first.files.all()}

    services.draft_save(
        draft=draft,
        actor=supervisor,
        start=NOVEMBER[0],
        end=NOVEMBER[1],
        title="更正后的通报",
        experience="",
        problems="",
        next_steps="",
    )
    changed = november()
    changed["intake"]["accepted"] = 30045
    second = services.report_publish(
        draft=draft, document=changed, actor=supervisor, at=AT + timedelta(days=1)
    )
    assert second.version == 2 and second.title == "更正后的通报"

    first.refresh_from_db()
    assert first.version == 1 and first.title != "更正后的通报"
    assert first.document["intake"]["accepted"] == 30044
    assert {f.format: bytes(f.content) for f in first.files.all()} == first_files
    assert list(
        selectors.published_versions(start=NOVEMBER[0], end=NOVEMBER[1]).values_list(
            "version", flat=True
        )
    ) == [2, 1]


def test_the_database_refuses_to_change_a_published_report(draft, supervisor):
    report = services.report_publish(draft=draft, document=november(), actor=supervisor, at=AT)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        PublishedReport.objects.filter(pk=report.pk).update(title="改过的标题")
    report.title = "改过的标题"
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        report.save()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        PublishedFile.objects.filter(report=report).update(content=b"forged")
    report.refresh_from_db()
    assert report.title != "改过的标题"


def test_one_version_number_per_period(draft, supervisor):
    report = services.report_publish(draft=draft, document=november(), actor=supervisor, at=AT)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedReport.objects.create(
            start=report.start,
            end=report.end,
            version=1,
            title="重复",
            document={},
            editorial={},
            published_by=supervisor,
            published_at=AT,
        )


def test_the_document_must_be_of_the_drafts_period(draft, supervisor):
    october = november()
    october["period"] = {"from": "2024-10-01", "to": "2024-10-31"}
    with pytest.raises(services.ReportRefused, match="期间与草稿不一致"):
        services.report_publish(draft=draft, document=october, actor=supervisor)
    assert not PublishedReport.objects.exists()


def test_only_the_office_publishes(city, draft):
    with pytest.raises(NotPermitted):
        services.report_publish(draft=draft, document=november(), actor=city.users[Role.LEADER])


def test_a_failed_rendering_publishes_nothing(draft, supervisor, monkeypatch):
    def broken(word):
        raise pdf.PdfFailed("LibreOffice 未能转换文件")

    monkeypatch.setattr(pdf, "pdf_from_docx", broken)
    with pytest.raises(pdf.PdfFailed):
        services.report_publish(draft=draft, document=november(), actor=supervisor)
    assert not PublishedReport.objects.exists() and not PublishedFile.objects.exists()


def test_draft_cases_keep_their_order(city, draft, supervisor):
    numbers = [handled_order(city, local(2024, 11, d, 9)).number for d in (4, 5, 6)]
    for number in numbers:
        services.draft_case_add(draft=draft, number=number, kind="typical", actor=supervisor)
    assert [c.order.number for c in selectors.draft_cases(draft=draft)] == numbers
    assert DraftCase.objects.filter(draft=draft).count() == 3


# --- SPEC 5 (2026-12): publishing waits for the appeal window -------------------------


EARLY = local(2024, 12, 2, 9)


def test_publishing_inside_the_appeal_window_needs_a_reason_which_is_audited(supervisor, draft):
    from hotline.audit.models import AuditRecord

    # November's grades appear on Sun 1 December; three working days run to Wed 4th.
    assert services.appeal_window_closes(start=NOVEMBER[0], end=NOVEMBER[1]) == local(
        2024, 12, 4, 23, 59, 59
    )
    with pytest.raises(services.AppealWindowOpen, match="申诉期限至 2024-12-04 23:59"):
        services.report_publish(draft=draft, document=november(), actor=supervisor, at=EARLY)
    assert not PublishedReport.objects.exists()
    report = services.report_publish(
        draft=draft,
        document=november(),
        actor=supervisor,
        at=EARLY,
        override_reason="市政府常务会议需要",
    )
    assert report.version == 1
    record = AuditRecord.objects.get(action="early_publish")
    assert "市政府常务会议需要" in record.detail and record.actor == supervisor
    services.report_publish(draft=draft, document=november(), actor=supervisor, at=AT)
    assert AuditRecord.objects.filter(action="early_publish").count() == 1


CITIZEN_DATA = "我是王建国，电话+86 139-1234-5678，身份证430302 19900101 1234，家住3栋201室"


def test_a_published_case_is_redacted_whatever_was_typed(city, draft, supervisor):
    order = factories.register(city, local(2024, 11, 4, 9), content=CITIZEN_DATA)
    case = services.draft_case_add(
        draft=draft, number=order.number, kind="typical", actor=supervisor
    )
    assert case.complaint == "我是王某，电话139****5678，身份证430***********1234，家住*栋*室"
    services.draft_case_save(
        case=case,
        actor=supervisor,
        kind="typical",
        title="",
        complaint=CITIZEN_DATA,
        result="已回电 138 0013 8000",
        callback="",
    )
    (published,) = selectors.draft_editorial(draft=draft).cases
    assert published.complaint == "我是王某，电话139****5678，身份证430***********1234，家住*栋*室"
    assert published.result == "已回电 138****8000"
