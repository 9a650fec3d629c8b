from django.contrib.auth.models import AbstractUser
from django.db import models

from hotline.domain.enums import Role


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices(), default=Role.OPERATOR)
    unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="承办单位联络员必须绑定单位",
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit_handler") | models.Q(unit__isnull=False),
                name="unit_handler_has_unit",
            )
        ]
