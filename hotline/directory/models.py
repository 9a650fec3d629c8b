"""The directory (SPEC 2): regions, units, categories, the dispatch catalogue, tags."""

from django.db import models


class Region(models.Model):
    class Level(models.TextChoices):
        # SPEC 2 (2026-12): a province office's directory starts at the province.
        PROVINCE = "province", "省"
        CITY = "city", "市"
        DISTRICT = "district", "区县(市)"
        TOWN = "town", "乡镇(街道)"
        COMMUNITY = "community", "社区(村)"

    code = models.CharField("区划代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    aliases = models.CharField(
        "俗称", max_length=200, blank=True, help_text="当地人常用的叫法，以分号分隔，如「九华」"
    )
    # The pinyin initials of the name and aliases ("syljd jh"), for the region pickers;
    # written by directory.services.regions_spell whenever names are imported.
    initials = models.CharField("拼音首字母", max_length=300, blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self):
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        DISTRICT_GOVERNMENT = "district_government", "区县(市)政府"
        DEPARTMENT = "department", "市直部门"
        ENTERPRISE = "enterprise", "公共企事业单位"
        SCHOOL = "school", "学校"
        CENTRAL_AGENCY = "central_agency", "驻市中央单位"
        TOWN_GOVERNMENT = "town_government", "乡镇(街道)"

    code = models.CharField("单位编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_units",
    )
    regions = models.ManyToManyField(Region, verbose_name="负责区划", blank=True)
    active = models.BooleanField("启用", default=True)
    # Where the unit is told of new orders, deadlines and rework (hotline.notifications).
    notify_phone = models.CharField("通知手机号", max_length=20, blank=True)
    notify_email = models.EmailField("通知邮箱", blank=True)
    # SPEC 4 (2026-12): a supervision left unanswered past red is put to the unit's leader.
    leader_phone = models.CharField("单位领导手机号", max_length=20, blank=True)
    leader_email = models.EmailField("单位领导邮箱", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "成员单位"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Category(models.Model):
    code = models.CharField("分类编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField("层级")
    synonyms = models.CharField(
        "群众说法",
        max_length=1000,
        blank=True,
        help_text="市民说起这类事项常用的词，以分号分隔，如「狗咬人;遛狗不牵绳」",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "事项分类"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="category_level_1_to_3"
            ),
        ]

    def __str__(self):
        return self.name


class CatalogueEntry(models.Model):
    """One dispatch rule: (category, region) → lead unit and co-units (SPEC 2)."""

    category = models.ForeignKey(Category, verbose_name="事项分类", on_delete=models.PROTECT)
    region = models.ForeignKey(
        Region,
        verbose_name="区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="留空表示不限区划",
    )
    lead = models.ForeignKey(
        Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(Unit, verbose_name="协办单位", blank=True, related_name="+")
    keywords = models.CharField("关键词", max_length=500, blank=True)
    # SPEC 2 (2026-12): the 三定 clause, 权责清单 or 乡镇履职事项清单 item the rule rests on,
    # shown to the dispatcher and the unit with the suggestion.
    basis = models.CharField("依据", max_length=500, blank=True)
    version = models.PositiveIntegerField("目录版本", default=1)
    active = models.BooleanField("现行", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "派单目录"
        indexes = [models.Index(fields=["active", "category", "region"])]

    def __str__(self):
        return f"{self.category} / {self.region or '不限'} → {self.lead}"


class Tag(models.Model):
    name = models.CharField("专项名称", max_length=50, unique=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "专项标签"
        ordering = ["name"]

    def __str__(self):
        return self.name
