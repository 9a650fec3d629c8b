"""The dispatcher's first choice beside what the catalogue suggested (SPEC 10): it teaches
the next training where the catalogue is wrong, and shows how often following the
suggestion sends an order to the right unit."""

from django.db import models


class DispatchChoice(models.Model):
    """An order's first dispatch: the unit the catalogue suggested then and the one
    chosen. Written when the dispatch is recorded; an imported history has none."""

    order = models.OneToOneField(
        "orders.Order", verbose_name="工单", on_delete=models.CASCADE, related_name="+"
    )
    suggested = models.ForeignKey(
        "directory.Unit",
        verbose_name="推荐主办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen = models.ForeignKey(
        "directory.Unit", verbose_name="派往单位", on_delete=models.PROTECT, related_name="+"
    )
    followed = models.BooleanField("按推荐派单")
    at = models.DateTimeField("派单时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "首次派单与推荐"

    def __str__(self):
        return f"{self.order} → {self.chosen}"
