"""Knowledge-base search speed against its target (SPEC 13: p95 ≤ 50 ms over 100 000
articles).

    python bench/knowledge_search.py --database-url URL [--articles 100000] [--queries 300]

It makes a fresh database at URL (a PostgreSQL database is dropped and re-created; a
SQLite file is deleted), loads the demo directory and the demo knowledge base through
the services, then fills the knowledge base up to ``--articles`` with variations of the
demo articles: each one a demo article's question and answer with sentences of another
article of the same topic and a place of the demo city mixed in, indexed with the very
word counts the services would write (segmented once per sentence, then combined, so
that building 100 000 articles takes minutes, not hours). Then it times
``article_search`` — segmentation, synonyms, the BM25 query and reading the hits — for
``--queries`` queries an operator would type (questions, the start of a citizen's
account, short keywords, place names), after a short warm-up, and prints the
percentiles for docs/performance.md.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg

        name = parsed.path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = Path(parsed.path)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)


_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


class _Counts:
    """Word counts of text pieces, segmented once each."""

    def __init__(self):
        from hotline.domain import knowledge_search as rules
        from hotline.knowledge import segmentation

        self._rules, self._segmentation, self._seen = rules, segmentation, {}

    def __call__(self, piece: str) -> Counter:
        if piece not in self._seen:
            self._seen[piece] = self._rules.term_counts(self._segmentation.index_terms(piece))
        return self._seen[piece]


def _fill(total: int, rng: random.Random) -> int:
    """Adds synthetic published articles until the base holds ``total``."""
    from django.db import connection, transaction
    from django.db.models import F

    from hotline.directory.models import Region
    from hotline.domain.knowledge_search import impact
    from hotline.knowledge.models import Article, IndexStats, Posting, Term

    def stats_average() -> float:
        row = IndexStats.objects.get(pk=1)
        return row.total_length / row.documents

    documents: Counter = Counter()
    demo = list(Article.objects.filter(demo=True).order_by("pk"))
    by_topic: dict = {}
    for article in demo:
        by_topic.setdefault(article.category_id, []).append(article)
    places = list(Region.objects.exclude(level="city").values_list("name", flat=True))
    counts = _Counts()
    wanted = total - Article.objects.count()
    batch = 2000
    made = 0
    table = Posting._meta.db_table
    while made < wanted:
        size = min(batch, wanted - made)
        articles, bags = [], []
        for _ in range(size):
            base = rng.choice(demo)
            other = rng.choice(by_topic[base.category_id])
            place = rng.choice(places)
            extra = rng.sample(_sentences(other.answer), k=min(2, len(_sentences(other.answer))))
            own = _sentences(base.answer)
            rng.shuffle(own)
            question = f"{place}{base.question}"
            answer = "".join(own + extra)
            bag = counts(question) + counts(question) + counts(place)
            for piece in own + extra:
                bag += counts(piece)
            articles.append(
                Article(
                    question=question[:300],
                    answer=answer,
                    category_id=base.category_id,
                    owner_unit_id=base.owner_unit_id,
                    source=base.source,
                    valid_from=base.valid_from,
                    valid_to=base.valid_to if rng.random() > 0.05 else base.valid_from,
                    status="approved",
                    demo=True,
                )
            )
            bags.append(bag)
        with transaction.atomic():
            created = Article.objects.bulk_create(articles)
            if created[0].pk is None:  # backends that give no ids back
                last = Article.objects.order_by("-pk").values_list("pk", flat=True)[:size]
                for article, pk in zip(created, reversed(list(last)), strict=True):
                    article.pk = pk
            rows = []
            length_sum = 0
            average = stats_average()
            for article, bag in zip(created, bags, strict=True):
                length = sum(bag.values())
                length_sum += length
                documents.update(bag.keys())
                rows.extend(
                    (
                        term,
                        article.pk,
                        tf,
                        length,
                        impact(tf=tf, length=length, average_length=average),
                    )
                    for term, tf in bag.items()
                )
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(
                        f"COPY {table} (term, article_id, tf, length, impact) FROM STDIN"
                    ) as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(
                        f"INSERT INTO {table} (term, article_id, tf, length, impact)"
                        " VALUES (%s, %s, %s, %s, %s)",
                        rows,
                    )
            IndexStats.objects.filter(pk=1).update(
                documents=F("documents") + size, total_length=F("total_length") + length_sum
            )
        made += size
        print(f"\r  已生成 {made}/{wanted} 条", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with transaction.atomic():  # the document frequencies of the added words
        Term.objects.bulk_create([Term(term=t) for t in documents], ignore_conflicts=True)
        known = dict(Term.objects.values_list("term", "documents"))
        Term.objects.all().delete()
        Term.objects.bulk_create(
            [Term(term=t, documents=known.get(t, 0) + documents[t]) for t in known],
            batch_size=5000,
        )
    return made


def _queries(count: int, rng: random.Random) -> list[str]:
    from hotline.directory.models import Region
    from hotline.knowledge.models import Article

    demo = list(Article.objects.filter(demo=True).order_by("pk")[:400])
    places = list(Region.objects.exclude(level="city").values_list("name", flat=True))
    keywords = (
        "社保卡 医保报销 公积金提取 户口迁移 不动产登记 退货 拖欠工资 物业费 停水 停电 燃气 公交"
        " 入学 噪音 渣土 低保"
    ).split()
    queries = []
    for i in range(count):
        kind = i % 4
        article = rng.choice(demo)
        if kind == 0:  # the question as the operator retells it
            queries.append(article.question.rstrip("？?"))
        elif kind == 1:  # the start of the citizen's account, searched after a pause
            queries.append(f"我住在{rng.choice(places)}，" + article.answer[:40])
        elif kind == 2:  # a keyword or two
            queries.append(" ".join(rng.sample(keywords, k=rng.choice([1, 2]))))
        else:  # a place and a matter
            queries.append(rng.choice(places) + rng.choice(keywords))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="reuse a database already filled")
    args = parser.parse_args()
    if not args.keep:
        _fresh_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hotline.accounts.models import User
    from hotline.demo import DIRECTORY
    from hotline.directory.services import directory_import
    from hotline.knowledge.demo import load_demo_knowledge
    from hotline.knowledge.models import Article
    from hotline.knowledge.selectors import article_search

    rng = random.Random(12345)
    started = time.perf_counter()
    if not args.keep:
        call_command("migrate", verbosity=0)
        directory_import(folder=DIRECTORY)
        load_demo_knowledge(DIRECTORY)
        _fill(args.articles, rng)
        # A settled database, as autovacuum leaves it: statistics, and the visibility
        # map that lets PostgreSQL answer from the index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    built = time.perf_counter() - started
    viewer = User.objects.filter(role="operator").first() or User.objects.create_user(
        username="bench-operator", role="operator"
    )
    queries = _queries(args.queries, rng)
    for query in queries[:20]:  # warm-up: dictionary, caches, prepared plans
        article_search(viewer=viewer, query=query)
    times, found = [], 0
    for query in queries:
        start = time.perf_counter()
        hits = article_search(viewer=viewer, query=query)
        times.append((time.perf_counter() - start) * 1000)
        found += bool(hits)
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(round(p / 100 * len(times))) - 1)]

    postings = connection.cursor()
    postings.execute("SELECT COUNT(*) FROM knowledge_posting")
    articles, rows = Article.objects.count(), postings.fetchone()[0]
    print(f"数据库：{connection.vendor}；条目 {articles} 条，索引词 {rows} 行")
    if not args.keep:
        print(f"建库用时 {built:.0f} s")
    print(
        f"{len(queries)} 次检索（有结果 {found} 次）：p50 {pct(50):.1f} ms，p95 {pct(95):.1f} ms，"
        f"p99 {pct(99):.1f} ms，最长 {times[-1]:.1f} ms，平均 {statistics.mean(times):.1f} ms"
    )
    print(f"目标 p95 ≤ 50 ms：{'达到' if pct(95) <= 50 else '未达到'}")


if __name__ == "__main__":
    main()
