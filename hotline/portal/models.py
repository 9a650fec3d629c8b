"""What the portal keeps of its own: the citizen's rating of the handling."""

from django.db import models
from django.db.models import Q

from hotline.domain.citizen_rating import COMMENT_MAX, RESULTS


class CitizenRating(models.Model):
    """A citizen's own rating of their order, given on the portal once the order was
    concluded or closed (``hotline.domain.citizen_rating``). Kept apart from the
    callbacks: the satisfaction figures are counted over callbacks only."""

    order = models.OneToOneField(
        "orders.Order",
        verbose_name="工单",
        on_delete=models.PROTECT,
        related_name="citizen_rating",
    )
    result = models.CharField("评价", max_length=20, choices=[(r.value, r.label) for r in RESULTS])
    comment = models.CharField("评价意见", max_length=COMMENT_MAX, blank=True)
    at = models.DateTimeField("评价时间")
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "市民评价"
        indexes = [models.Index(fields=["at"], name="citizen_rating_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=[r.value for r in RESULTS]),
                name="citizen_rating_result",
            )
        ]

    def __str__(self):
        return f"市民评价：{self.get_result_display()}"
