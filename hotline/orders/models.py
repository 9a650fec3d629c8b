"""Orders and everything recorded about their handling.

``Order.state`` is the domain's ``OrderState`` as JSON (the single source of truth
for the rules); the plain columns beside it are copies kept for indexed queries.
Both are written together by ``orders.services`` and nowhere else.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q

from hotline.domain import events as ev
from hotline.domain.enums import (
    AppealDecision,
    AppealKind,
    AppealType,
    AssignmentRole,
    CallbackResult,
    Channel,
    CitizenKind,
    ContactOutcome,
    ContactWay,
    DeputyLevel,
    Disposition,
    RejectReason,
    ReviewDecision,
    Solved,
    Status,
    SupervisionLevel,
    ViolationKind,
    ViolationOutcome,
)


class Citizen(models.Model):
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, db_index=True)
    id_number = models.CharField("证件号码", max_length=30, blank=True)
    kind = models.CharField(
        "诉求人类型", max_length=12, choices=CitizenKind.choices(), default=CitizenKind.URBAN
    )
    created_at = models.DateTimeField("首次来电", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求人"

    def __str__(self):
        return self.name or self.phone


class OrderSequence(models.Model):
    """The last order number handed out per year (SPEC 3: unique, gap-tolerant)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Order(models.Model):
    number = models.CharField("工单编号", max_length=11, unique=True)
    received_at = models.DateTimeField("受理时间")
    channel = models.CharField("受理渠道", max_length=20, choices=Channel.choices())
    appeal_type = models.CharField("诉求类型", max_length=12, choices=AppealType.choices())
    category = models.ForeignKey(
        "directory.Category",
        verbose_name="事项分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    region = models.ForeignKey(
        "directory.Region",
        verbose_name="区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    address = models.CharField("地址", max_length=200, blank=True)
    content = models.TextField("诉求内容")
    citizen = models.ForeignKey(
        Citizen,
        verbose_name="诉求人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    confidential = models.BooleanField("保密", default=False)
    urgent = models.BooleanField("急办件", default=False)
    tags = models.ManyToManyField("directory.Tag", verbose_name="专项", blank=True)
    call_id = models.CharField("来电编号", max_length=40, blank=True, db_index=True)
    # SPEC 11 (2026-12): the province platform's own number for the order it sent.
    external_ref = models.CharField("省平台工单号", max_length=40, blank=True)
    # SPEC 7 (2026-12): the deputy's level on 人大代表专席 ("" elsewhere, and on orders
    # registered before levels were recorded).
    deputy_level = models.CharField(
        "人大代表级别", max_length=12, blank=True, choices=DeputyLevel.choices()
    )
    # SPEC 11 (2026-12): where an online submission (Open311) placed the problem.
    latitude = models.FloatField("纬度", null=True, blank=True)
    longitude = models.FloatField("经度", null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="受理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    state = models.JSONField("办理状态")
    version = models.PositiveIntegerField("版本", default=0)
    status = models.CharField("状态", max_length=12, choices=Status.choices())
    disposition = models.CharField(
        "受理结果", max_length=12, choices=Disposition.choices(), blank=True
    )
    reject_reason = models.CharField(
        "不予受理理由", max_length=24, choices=RejectReason.choices(), blank=True
    )
    lead_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="主办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_orders",
        db_index=False,
    )
    sub_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="二级承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_orders",
        db_index=False,
    )
    sign_by = models.DateTimeField("签收时限", null=True, blank=True)
    deadline = models.DateTimeField("办理时限", null=True, blank=True)
    # SPEC 5 response rate: the first contact is due by then (set at sign-for).
    respond_by = models.DateTimeField("响应时限", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("归档时间", null=True, blank=True)
    on_time = models.BooleanField("按期办结", null=True)
    difficult = models.BooleanField("疑难工单", default=False)
    paused = models.BooleanField("暂停计时", default=False)
    supervision = models.CharField(
        "督办级别", max_length=8, choices=SupervisionLevel.choices(), blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_orders",
        db_index=False,
    )
    split_from = models.ForeignKey(
        "self",
        verbose_name="拆自工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="split_orders",
        db_index=False,
    )
    updated_at = models.DateTimeField("最后办理时间")
    # The callback agent (user name, as the event names them) to make the awaited
    # callback; "" while it waits in the callback team's shared queue.
    callback_agent = models.CharField("回访员", max_length=150, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "工单"
        indexes = [
            # With what the periodic report counts of each order (SPEC 7), so that its
            # aggregates over a period read this index alone, not the wide order rows.
            models.Index(
                fields=["received_at"],
                include=[
                    "id",
                    "disposition",
                    "reject_reason",
                    "channel",
                    "appeal_type",
                    "category",
                    "lead_unit",
                    "urgent",
                    "concluded_at",
                    "on_time",
                ],
                name="order_received",
            ),
            models.Index(fields=["status", "received_at"], name="order_status_received"),
            # Supervision and overdue queues: orders of a status by how close their deadline is.
            models.Index(fields=["status", "deadline"], name="order_status_deadline"),
            models.Index(fields=["lead_unit", "status", "deadline"], name="order_unit_inbox"),
            models.Index(fields=["sub_unit", "status", "deadline"], name="order_sub_inbox"),
            # 改派 of one lead unit, paged by intake time (the keyset's order).
            models.Index(
                fields=["lead_unit", "status", "received_at"], name="order_unit_status_received"
            ),
            # A unit's orders concluded in a month (下级单位进度): a range of the month,
            # not every order the unit ever led.
            *(
                models.Index(
                    fields=[unit, "concluded_at"],
                    name=f"order_{unit}_concluded",
                    condition=Q(concluded_at__isnull=False),
                )
                for unit in ("lead_unit", "sub_unit")
            ),
            models.Index(fields=["category", "received_at"], name="order_category_received"),
            models.Index(fields=["region", "received_at"], name="order_region_received"),
            # Surges: orders per day, category and place read from the index alone.
            models.Index(fields=["received_at", "category", "region"], name="order_received_topic"),
            # 疑难工单 in the keyset's order; the count reads the first two columns.
            models.Index(fields=["difficult", "status", "received_at"], name="order_difficult"),
            # The callback queue's tabs (mine, unassigned, all): only the orders that can
            # await a callback, a small part of the table.
            models.Index(
                fields=["status", "callback_agent", "received_at"],
                name="order_callback_queue",
                # Written as OR rather than IN: PostgreSQL deparses an IN list's
                # casts differently once the index is re-created from its own
                # definition (as a first-load import does), and the schema must
                # read the same after such a load.
                condition=Q(status=Status.CONCLUDED.value) | Q(status=Status.MERGED.value),
            ),
            # Mostly empty links: index only the rows that have one (history has none).
            *(
                models.Index(
                    fields=[name], name=f"order_{name}", condition=Q(**{f"{name}__isnull": False})
                )
                for name in ("operator", "merged_into", "split_from")
            ),
        ]
        constraints = [
            # One order per order of the sending platform (SPEC 11, 2026-12); the
            # reference first, so that the search by it alone reads this index.
            models.UniqueConstraint(
                fields=["external_ref", "channel"],
                condition=~Q(external_ref=""),
                name="order_external_ref_per_channel",
            ),
        ]

    def __str__(self):
        return self.number


class Assignment(models.Model):
    """A unit's part in an order: lead, co-unit or sub-unit, from dispatch until replaced."""

    # The (order, ended_at) index below serves the foreign key too.
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    role = models.CharField("角色", max_length=4, choices=AssignmentRole.choices())
    assigned_at = models.DateTimeField("派发时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    # SPEC 5 (2026-12): for a lead, the moment the order falls in an assessment period —
    # concluded, or its deadline in force passed while open (domain/assessment_cohort.py);
    # None while the clock stands still. Kept by the projection.
    falls_due_at = models.DateTimeField("考核计入时间", null=True, blank=True)
    # SPEC 4 (2026-12): an upheld 无理/重复诉求 appeal takes the order out of the lead's
    # assessment.
    excluded = models.BooleanField("不计入考核", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "承办分工"
        indexes = [
            # The assessment's cohort: a unit's lead orders falling in a period, read
            # from this index alone.
            models.Index(
                fields=["unit", "role", "falls_due_at"],
                include=["id", "order", "ended_at", "excluded"],
                name="assignment_unit_falls_due",
                condition=Q(role="lead"),
            ),
            # The city's on-time figures of a day or a month (the dashboard): the lead
            # assignments falling due then, whatever the unit.
            models.Index(
                fields=["falls_due_at"],
                include=["id", "order", "assigned_at", "ended_at", "excluded"],
                name="assignment_falls_due",
                condition=Q(role="lead"),
            ),
            # With the order and the end: the assessment reads a period's lead
            # assignments from this index alone.
            models.Index(
                fields=["unit", "role", "assigned_at"],
                include=["id", "order", "ended_at"],
                name="assignment_unit_period",
            ),
            # On PostgreSQL only, migration 0021 adds ``assignment_lead_made``:
            # (assigned_at) of the lead assignments, with the unit, order and end, for
            # 签收及时率 over every unit (the index above, by unit first, is read whole
            # for a day: 640 ms at ten million orders). SQLite's planner, given it,
            # evaluates the sign-for statement's subqueries nine times slower.
            models.Index(fields=["order", "ended_at"], name="assignment_current"),
        ]


# The events that give an order a lead and a sign-for deadline; with those that move
# that deadline (a corrected urgency) and end the lead's wait for a sign-for, what the
# sign-for statistics read per assignment.
ASSIGNING_EVENTS = (ev.Dispatch.type, ev.Redispatch.type, ev.Designate.type, ev.ReturnReview.type)
SIGN_FOR_EVENTS = (*ASSIGNING_EVENTS, ev.Correct.type, ev.Sign.type, ev.Return.type)


class Event(models.Model):
    """One immutable step of an order's history (SPEC 4: who, when, what, from, to)."""

    # The unique (order, seq) constraint serves the foreign key too.
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField("序号")
    type = models.CharField("类型", max_length=24)
    at = models.DateTimeField("发生时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    from_status = models.CharField("原状态", max_length=12, blank=True)
    to_status = models.CharField("新状态", max_length=12)
    data = models.JSONField("内容", default=dict)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    # SHA-256 (hex) chaining this event to the previous one of its order
    # (domain/event_chain.py); recomputed by ``hotline audit verify``.
    chain_hash = models.CharField("链哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "办理记录"
        ordering = ["order", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["order", "seq"], name="event_order_seq"),
        ]
        indexes = [
            # With the order: the statistics read the orders that had a kind of event in
            # a period from this index alone.
            models.Index(fields=["type", "at"], include=["order"], name="event_type_at"),
            models.Index(fields=["actor"], name="event_actor", condition=Q(actor__isnull=False)),
            # The sign-for statistics look up, per lead assignment, its order's sign,
            # return and assigning events in a time range. Without this index, a planner
            # with stale statistics (after a load, before autovacuum) ranged over
            # ``event_type_at`` — every sign since the assignment, per assignment:
            # minutes over a 100 000-order city (docs/performance.md).
            models.Index(
                fields=["order", "type", "at"],
                name="event_order_sign_for",
                # OR rather than IN, as for the callback queue's index above.
                condition=reduce(operator.or_, (Q(type=kind) for kind in SIGN_FOR_EVENTS)),
            ),
        ]

    def __str__(self):
        return f"{self.order_id}#{self.seq} {self.type}"


class Reply(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="replies", db_index=False
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    text = models.TextField("答复内容")
    contacted = models.BooleanField("已联系诉求人", default=True)
    resolved = models.BooleanField("问题已解决", null=True)
    at = models.DateTimeField("答复时间")
    decision = models.CharField("审核结果", max_length=8, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "答复"
        indexes = [
            models.Index(fields=["order", "at"], name="reply_order"),
            # The assessment's rework (SPEC 5): the few replies sent back, by time.
            models.Index(
                fields=["at"],
                include=["order"],
                name="reply_rework",
                condition=Q(decision=ReviewDecision.REWORK.value),
            ),
        ]


class Callback(models.Model):
    class Kind(models.TextChoices):
        CALLBACK = "callback", "回访"
        SPOT_CHECK = "spot_check", "抽查"

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="callbacks", db_index=False
    )
    unit = models.ForeignKey(
        "directory.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField("方式", max_length=12, choices=Kind.choices)
    result = models.CharField("结果", max_length=20, choices=CallbackResult.choices())
    at = models.DateTimeField("回访时间")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    pressured = models.BooleanField("被要求撤诉", default=False)
    leaked = models.BooleanField("信息被泄露", default=False)
    rework = models.BooleanField("返工", default=False)
    appeal_upheld = models.BooleanField("申诉成立", null=True)
    solved = models.CharField("问题是否解决", max_length=12, choices=Solved.choices(), blank=True)
    unit_contacted = models.BooleanField("承办单位已联系", null=True)
    note = models.TextField("回访备注", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "回访记录"
        indexes = [
            models.Index(fields=["unit", "at"], name="callback_unit_at"),
            # With what the report reads of an order's latest callback (SPEC 7).
            models.Index(
                fields=["order", "at"], include=["id", "kind", "result"], name="callback_order"
            ),
            models.Index(fields=["agent"], name="callback_agent", condition=Q(agent__isnull=False)),
            # The assessment's callbacks (SPEC 5): a period's, from this index alone.
            models.Index(
                fields=["at"],
                include=["id", "order", "kind", "result", "appeal_upheld"],
                name="callback_at",
            ),
            # The assessment's rework (SPEC 5): the few callbacks that sent orders back.
            models.Index(
                fields=["at"], include=["order"], name="callback_rework", condition=Q(rework=True)
            ),
            # The appeals queue: unsatisfied results not yet ruled on, newest first.
            models.Index(
                fields=["at"],
                name="callback_appealable",
                condition=Q(result="unsatisfied", appeal_upheld__isnull=True),
            ),
        ]


class Extension(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="extensions")
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("延期理由")
    until = models.DateTimeField("申请期限")
    requested_at = models.DateTimeField("申请时间")
    granted = models.BooleanField("同意", null=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "延期申请"
        indexes = [models.Index(fields=["granted", "requested_at"], name="extension_pending")]


class Supervision(models.Model):
    """One supervision of an order; (SPEC 4, 2026-12) the supervised unit answers it by
    its deadline, or it escalates: the row is superseded by the stronger one the
    escalation creates (``escalated``), or, past red, the unit's leader is told."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="supervisions")
    level = models.CharField("级别", max_length=8, choices=SupervisionLevel.choices())
    note = models.TextField("督办意见", blank=True)
    at = models.DateTimeField("督办时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="被督办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    deadline = models.DateTimeField("回复期限", null=True, blank=True)
    escalated = models.BooleanField("逾期升级而来", default=False)
    answer = models.TextField("督办回复", blank=True)
    answered_at = models.DateTimeField("回复时间", null=True, blank=True)
    superseded_at = models.DateTimeField("升级时间", null=True, blank=True)
    leader_told_at = models.DateTimeField("告知单位领导时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办"
        indexes = [
            # The unit's inbox and the office's queue: supervisions still owed an answer.
            models.Index(
                fields=["unit", "deadline"],
                name="supervision_awaiting",
                condition=Q(answered_at__isnull=True, superseded_at__isnull=True),
            ),
            models.Index(fields=["at"], name="supervision_at"),
        ]


class Instruction(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="instructions")
    text = models.TextField("批示内容")
    at = models.DateTimeField("批示时间")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "领导批示"


class Violation(models.Model):
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="violations")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="violations"
    )
    kind = models.CharField("类型", max_length=16, choices=ViolationKind.choices())
    note = models.TextField("情况说明", blank=True)
    at = models.DateTimeField("发现时间")
    reviewed = models.BooleanField("已核查", default=False)
    # SPEC 6 (2026-12): the supervisor's decision.
    outcome = models.CharField(
        "处理结果", max_length=20, choices=ViolationOutcome.choices(), blank=True
    )
    outcome_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "违规记录"
        indexes = [
            models.Index(fields=["unit", "at"], name="violation_unit_at"),
            models.Index(fields=["at"], name="violation_at"),
        ]


class AppealFiling(models.Model):
    """SPEC 4 (2026-12): an appeal the lead unit filed against an unsatisfied callback,
    and the office's decision on it (the ``appeal_file`` and ``appeal`` events)."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="appeal_filings", db_index=False
    )
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("申诉类型", max_length=16, choices=AppealKind.choices())
    reason = models.TextField("申诉理由")
    filed_at = models.DateTimeField("申诉时间")
    decision = models.CharField("裁定", max_length=12, choices=AppealDecision.choices(), blank=True)
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True)
    note = models.TextField("裁定意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "申诉"
        indexes = [
            models.Index(fields=["order", "filed_at"], name="appeal_filing_order"),
            # The office's queue: pending appeals, oldest first.
            models.Index(
                fields=["filed_at"], name="appeal_filing_pending", condition=Q(decision="")
            ),
        ]


class Contact(models.Model):
    """A unit's contact with the citizen (SPEC 4, 2026-12); the first gives the response."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField("联系时间")
    way = models.CharField("联系方式", max_length=12, choices=ContactWay.choices())
    outcome = models.CharField("联系结果", max_length=12, choices=ContactOutcome.choices())

    class Meta:
        verbose_name = verbose_name_plural = "联系记录"
        # An order's contacts in time order: its first contact is the index's first entry.
        indexes = [models.Index(fields=["order", "at"], name="contact_order_at")]


class ThreeWayCall(models.Model):
    """SPEC 4 (2026-12): a unit's request that the hotline connect it with the citizen of
    a confidential order, and when the operator made the call (the ``three_way_request``
    and ``three_way_call`` events)."""

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="three_way_calls", db_index=False
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    note = models.TextField("说明", blank=True)
    requested_at = models.DateTimeField("申请时间")
    called_at = models.DateTimeField("接通时间", null=True, blank=True)
    outcome = models.CharField(
        "联系结果", max_length=12, choices=ContactOutcome.choices(), blank=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "三方通话申请"
        indexes = [
            models.Index(fields=["order", "requested_at"], name="three_way_order"),
            # The operators' list: requests still waiting, oldest first.
            models.Index(
                fields=["requested_at"],
                name="three_way_waiting",
                condition=Q(called_at__isnull=True),
            ),
        ]


class IntakeAnswer(models.Model):
    """The answer to a system's registration request, kept under the key the system
    sent (its ``Idempotency-Key``, or the call id): a request sent again after a lost
    answer gets the same answer back instead of registering the order twice. Written in
    the transaction that registers the order."""

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接入系统",
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.CharField("幂等键", max_length=200)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.JSONField("应答", default=dict)
    # A digest of the request, so that the key sent again with another request is told
    # apart from a repeat (empty for answers kept before it was recorded).
    fingerprint = models.CharField("请求摘要", max_length=64, blank=True)
    at = models.DateTimeField("受理时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "登记请求应答"
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="intake_answer_once")]


class OrderTextMark(models.Model):
    """How far the search index's catch-up has walked the orders (one row): every order
    with an id up to ``through`` has been given its terms, so a run reads only the
    orders above it. An import lowers it to the orders already there (its own get
    higher ids) and holds the row until its commit; the catch-up skips a held row
    rather than step past orders not yet visible."""

    through = models.BigIntegerField("已检查至工单", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "工单检索词进度"


class OrderText(models.Model):
    """The order search's index of one order: the terms of its content and its replies
    (``domain.text_search``), space-separated. PostgreSQL indexes them with GIN over
    ``terms::tsvector``, SQLite with an FTS5 table kept in step by triggers (migration
    ``order_text_search``); ``selectors.search`` asks either."""

    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, primary_key=True, related_name="text"
    )
    terms = models.TextField("检索词")

    class Meta:
        verbose_name = verbose_name_plural = "工单检索词"
