"""Topics (每月一题 / 一类事 / 主动治理): a problem behind many orders, taken up with a lead
unit, co-units and a plan; the orders linked to it, its milestones, progress notes and
the recurrences the watch finds once it is solved."""

from django.conf import settings
from django.db import models

from hotline.domain.enums import TopicLinkSource, TopicStatus


class Topic(models.Model):
    title = models.CharField("题目", max_length=120)
    description = models.TextField("问题描述", blank=True)
    status = models.CharField(
        "状态", max_length=8, choices=TopicStatus.choices(), default=TopicStatus.ACTIVE.value
    )
    lead_unit = models.ForeignKey(
        "directory.Unit", verbose_name="牵头单位", on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(
        "directory.Unit", verbose_name="配合单位", blank=True, related_name="+"
    )
    # The month it was taken up as 每月一题 (its first day).
    month = models.DateField("立项月份")
    # What the recurrence watch looks for: the miner's normalised place, the category
    # and the office's keywords.
    place = models.CharField("地点", max_length=200, blank=True)
    category = models.ForeignKey(
        "directory.Category",
        verbose_name="事项分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    keywords = models.CharField("关键词", max_length=200, blank=True)
    # The miner's cluster it was taken up from, so that the proposals page marks it.
    proposal_key = models.CharField("候选编号", max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="立项人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("立项时间")
    solved_at = models.DateTimeField("解决时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    watched_at = models.DateTimeField("最近回头看", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "每月一题"
        indexes = [
            models.Index(fields=["status", "created_at"], name="topic_status_created"),
            models.Index(fields=["lead_unit", "status"], name="topic_lead_status"),
        ]

    def __str__(self):
        return self.title


class TopicOrder(models.Model):
    """An order linked to a topic, by hand or from the miner's proposal."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="links")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=12, choices=TopicLinkSource.choices())
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="关联人", on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField("关联时间")

    class Meta:
        verbose_name = verbose_name_plural = "关联工单"
        constraints = [models.UniqueConstraint(fields=["topic", "order"], name="topic_order_once")]
        indexes = [models.Index(fields=["order"], name="topic_order_order")]


class Milestone(models.Model):
    """A step of the topic's plan, due on a day, done or not."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=120)
    due_on = models.DateField("计划完成日期")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "工作节点"
        ordering = ["due_on", "pk"]


class ProgressNote(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("进展情况")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    # The author's unit when a unit wrote it; empty for the office.
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="填报单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("填报时间")

    class Meta:
        verbose_name = verbose_name_plural = "推进情况"
        indexes = [models.Index(fields=["topic", "at"], name="topic_note_at")]


class Recurrence(models.Model):
    """A new order of the topic's kind registered after it was marked solved: the
    problem may be back (回头看)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="recurrences")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField("发现时间")

    class Meta:
        verbose_name = verbose_name_plural = "解决后新增工单"
        constraints = [
            models.UniqueConstraint(fields=["topic", "order"], name="topic_recurrence_once")
        ]
