from django.db import models


class Holiday(models.Model):
    """A row of the editable holiday table; it overrides the packaged calendar."""

    date = models.DateField("日期", unique=True)
    workday = models.BooleanField("是否工作日", help_text="勾选表示调休上班日，不勾选表示放假")
    name = models.CharField("说明", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日表"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.workday else '放假'} {self.name}"


class Setting(models.Model):
    """One office-editable setting; keys and value rules live in configuration.registry."""

    key = models.CharField("配置项", max_length=60, unique=True)
    value = models.JSONField("值")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "系统设置"
        ordering = ["key"]

    def __str__(self):
        return self.key
