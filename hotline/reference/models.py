from django.db import models


class Generation(models.Model):
    """One row, moved on by the database itself (``triggers``) at every write of a
    watched table, whichever process, command or SQL session writes."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "参考数据版本"
