"""The knowledge base (SPEC 9): articles, synonym groups and the search index.

``Posting`` is the inverted index — one row per (word, article) with the word's count
and the article's length — kept by the services for published (approved) articles
only. ``IndexStats`` holds the corpus figures BM25 needs, kept up to date in the same
transactions, so a search never counts the whole table.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from hotline.domain.knowledge_search import QUESTION_MAX, REVIEW_NOTE_MAX, SOURCE_MAX, TERM_MAX


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已发布"
        REJECTED = "rejected", "已退回"

    question = models.CharField("问题", max_length=QUESTION_MAX)
    answer = models.TextField("标准答案")
    category = models.ForeignKey(
        "directory.Category",
        verbose_name="事项分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示由热线办维护",
    )
    source = models.CharField("来源", max_length=SOURCE_MAX, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)
    status = models.CharField("审核状态", max_length=10, choices=Status.choices)
    review_note = models.CharField("审核意见", max_length=REVIEW_NOTE_MAX, blank=True)
    usage_count = models.PositiveIntegerField("引用次数", default=0)
    demo = models.BooleanField("演示内容", default=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后编辑人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "知识库条目"
        # The lists: newest change first, for the office, per unit and per status.
        indexes = [
            models.Index(fields=["updated_at", "id"], name="article_updated"),
            models.Index(fields=["status", "updated_at"], name="article_status_updated"),
            models.Index(fields=["owner_unit", "updated_at"], name="article_owner_updated"),
        ]

    def __str__(self):
        return self.question


class Posting(models.Model):
    """One word of one published article: how often it occurs and the article's length.

    ``impact`` is the word's BM25 share in the article as it was when indexed; the
    search reads each word's rows in falling impact and scores them exactly.
    """

    term = models.CharField("词", max_length=TERM_MAX)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="postings")
    tf = models.PositiveSmallIntegerField("词频")
    length = models.PositiveIntegerField("条目词数")
    impact = models.FloatField("权重")

    class Meta:
        verbose_name = verbose_name_plural = "索引词"
        # Covers the search: a word's best rows are read from the index alone.
        indexes = [
            models.Index(
                fields=["term", "-impact", "article", "tf", "length"], name="posting_term_impact"
            )
        ]


class Term(models.Model):
    """How many published articles hold a word (BM25's document frequency)."""

    term = models.CharField("词", max_length=TERM_MAX, unique=True)
    documents = models.PositiveIntegerField("条目数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "索引词统计"


class IndexStats(models.Model):
    """The one row of corpus figures: published articles and their total length."""

    documents = models.PositiveIntegerField(default=0)
    total_length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "索引统计"


class SynonymGroup(models.Model):
    """Words the search treats as one, e.g. 公积金 / 住房公积金."""

    words = models.CharField("同义词", max_length=500)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "同义词组"
        ordering = ["id"]

    def __str__(self):
        return self.words

    @property
    def members(self) -> list[str]:
        return self.words.split()


class Synonym(models.Model):
    term = models.CharField("词", max_length=TERM_MAX, unique=True)
    group = models.ForeignKey(SynonymGroup, on_delete=models.CASCADE, related_name="terms")

    class Meta:
        verbose_name = verbose_name_plural = "同义词"
