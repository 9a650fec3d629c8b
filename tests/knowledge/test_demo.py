"""The demo knowledge base of the Xiangtan demo city."""

from hotline.demo import DIRECTORY
from hotline.directory.services import directory_import
from hotline.domain.enums import Role
from hotline.knowledge.demo import load_demo_knowledge
from hotline.knowledge.models import Article, IndexStats, SynonymGroup
from hotline.knowledge.selectors import article_search
from tests.factories import user

TOPICS = ["社保卡", "医保", "公积金", "户口", "不动产", "消费", "工资", "物业", "停水", "停电",
          "燃气", "公交", "入学", "占道经营", "噪音"]  # fmt: skip


def test_demo_knowledge_base_loads_once_and_answers_the_seed_topics(db):
    directory_import(folder=DIRECTORY)
    added = load_demo_knowledge(DIRECTORY)
    assert added >= 300
    assert Article.objects.filter(demo=True, status="approved").count() == added
    assert not Article.objects.exclude(source__startswith="演示内容").exists()
    assert not Article.objects.exclude(answer__endswith="（演示内容，以现行政策为准）").exists()
    assert not Article.objects.filter(owner_unit=None).exists()
    assert IndexStats.objects.get().documents == added
    assert SynonymGroup.objects.filter(words="公积金 住房公积金").exists()
    assert load_demo_knowledge(DIRECTORY) == 0
    operator = user(Role.OPERATOR)
    for topic in TOPICS:
        assert article_search(viewer=operator, query=topic), topic
    assert article_search(viewer=operator, query="社保卡丢了")[0].article.question == (
        "社保卡丢了怎么办？"
    )
