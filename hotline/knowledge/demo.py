"""The demo knowledge base: plausible public-service answers for the Xiangtan demo city.

Every article is marked as demo content (``demo`` flag, a source starting with
「演示内容」, and a closing note in the answer). Loaded once: a second run adds nothing.
"""

import csv
from datetime import date
from pathlib import Path

from django.db import transaction

from hotline.directory.models import Category, Unit
from hotline.knowledge import segmentation
from hotline.knowledge.models import Article, SynonymGroup
from hotline.knowledge.services import ArticleInput, article_create, synonyms_replace

DEMO_NOTE = "（演示内容，以现行政策为准）"

DEMO_SYNONYMS = """\
公积金 住房公积金
医保 医疗保险 医疗保障
社保 社会保险
社保卡 社会保障卡
身份证 居民身份证
户口 户籍
房产证 不动产权证书 不动产证
拖欠工资 欠薪 讨薪
物业费 物业服务费
停电 断电
停水 断水
燃气 天然气 煤气
网约车 网络预约出租汽车
低保 最低生活保障
"""


def read_articles(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@transaction.atomic
def load_demo_knowledge(folder: Path) -> int:
    """Loads ``folder/knowledge.csv`` (after the demo directory); returns articles added."""
    if Article.objects.filter(demo=True).exists():
        return 0
    segmentation.refresh_directory_words()
    rows = read_articles(folder / "knowledge.csv")
    categories = {c.code: c for c in Category.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    for row in rows:
        article_create(
            actor=None,
            data=ArticleInput(
                question=row["question"],
                answer=row["answer"] + DEMO_NOTE,
                category=categories.get(row["category_code"]),
                owner_unit=units.get(row["owner_unit_code"]),
                source=row["source"],
                valid_from=_day(row["valid_from"]),
                valid_to=_day(row["valid_to"]),
            ),
            demo=True,
        )
    if not SynonymGroup.objects.exists():
        synonyms_replace(actor=None, text=DEMO_SYNONYMS)
    return len(rows)
