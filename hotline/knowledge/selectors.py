"""Reads of the knowledge base, each starting from the viewer.

``article_search`` is the operator's search: BM25 computed in SQL over the inverted
index (one GROUP BY over the query words' postings), the best candidates then read
and put in order — articles in force first, expired ones after them, flagged.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hotline.domain import knowledge_search as rules
from hotline.domain.enums import Role
from hotline.knowledge import segmentation
from hotline.knowledge.models import (
    Article,
    IndexStats,
    Posting,
    Synonym,
    SynonymGroup,
    Term,
)

SEARCH_LIMIT = 10
# Scored in SQL, read and ordered in Python: enough for expired articles to make room.
CANDIDATES = 200
# Rows read per query word, best first, and the words scored per query.
PER_TERM = 1000
SCORED_TERMS = 10
EXCERPT = 120


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    expired: bool
    not_yet_valid: bool
    stale: str  # why it needs review, empty if it does not
    excerpt: str
    reference: str  # what 答复依据 records


# --- the search ------------------------------------------------------------------------------


def _split_synonym(word: str) -> list[str]:
    return rules.query_terms(segmentation.words(word))


def query_weights(query: str) -> dict[str, float]:
    """The query's words and their synonyms, with their weights."""
    terms = rules.query_terms(segmentation.index_terms(query))
    if not terms:
        return {}
    group_ids = Synonym.objects.filter(term__in=terms).values_list("group_id", flat=True)
    groups = [g.members for g in SynonymGroup.objects.filter(pk__in=list(group_ids))]
    weights = rules.expand(terms, groups, split=_split_synonym)
    return dict(list(weights.items())[: rules.QUERY_TERMS_MAX * 2])


def corpus_stats() -> rules.CorpusStats:
    row = IndexStats.objects.filter(pk=1).values_list("documents", "total_length").first()
    return rules.CorpusStats(*(row or (0, 0)))


def _containing(terms: list[str]) -> dict[str, int]:
    """How many published articles hold each word."""
    return dict(Term.objects.filter(term__in=terms).values_list("term", "documents"))


def scored_candidates(weights: dict[str, float], *, limit: int = CANDIDATES):
    """(article id, BM25 score) of the best ``limit`` published articles, best first.

    Each word's postings are read best impact first, at most ``PER_TERM`` of them, and
    scored exactly in SQL (one UNION ALL of the words' rows, summed per article): an
    article can be missed only when it is outside the top rows of every word it holds.
    """
    stats = corpus_stats()
    if not weights or not stats.documents:
        return []
    weighted_idf = rules.term_weights(weights, _containing(list(weights)), stats)
    weighted_idf = rules.strongest(weighted_idf, SCORED_TERMS)
    if not weighted_idf:
        return []
    # BM25 with the constant parts folded: w·idf·(k1+1)·tf / (tf + c0 + c1·length).
    c0 = rules.K1 * (1.0 - rules.B)
    c1 = rules.K1 * rules.B / stats.average_length
    table = Posting._meta.db_table
    parts, params = [], []
    for number, (term, value) in enumerate(weighted_idf.items()):
        parts.append(
            f"SELECT * FROM (SELECT article_id, %s * tf / (tf + %s + %s * length) AS s"
            f" FROM {table} WHERE term = %s ORDER BY impact DESC LIMIT %s) AS w{number}"
        )
        params += [value * (rules.K1 + 1.0), c0, c1, term, PER_TERM]
    sql = (
        f"SELECT article_id, SUM(s) AS score FROM ({' UNION ALL '.join(parts)}) AS hits"
        f" GROUP BY article_id ORDER BY score DESC, article_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _excerpt(answer: str, terms) -> str:
    text = " ".join(answer.split())
    at = min((i for i in (text.find(t) for t in terms if t) if i >= 0), default=0)
    start = max(0, at - 20) if at > EXCERPT - 40 else 0
    piece = text[start : start + EXCERPT]
    return ("…" if start else "") + piece + ("…" if start + EXCERPT < len(text) else "")


def _hit(article: Article, score: float, terms, now: datetime) -> Hit:
    today = timezone.localdate(now)
    return Hit(
        article=article,
        score=score,
        expired=rules.is_expired(article.valid_to, today),
        not_yet_valid=rules.not_yet_valid(article.valid_from, today),
        stale=rules.stale_reason(
            valid_to=article.valid_to, updated_at=article.updated_at, now=now, today=today
        ),
        excerpt=_excerpt(article.answer, terms),
        reference=rules.article_reference(article.pk, article.question),
    )


def article_search(
    *, viewer, query: str, limit: int = SEARCH_LIMIT, now: datetime | None = None
) -> list[Hit]:
    """The published articles that answer ``query``, most relevant first; articles out
    of force (expired, or not yet valid) after every article in force.

    The published knowledge base is the office's answer to the public: every signed-in
    role may read it.
    """
    if viewer is None or not viewer.is_authenticated:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    weights = query_weights(query)
    ranked = scored_candidates(weights)
    if not ranked:
        return []
    # Validity of the candidates first (a narrow read), the whole article for the few shown.
    validity = {
        pk: rules.is_expired(valid_to, today) or rules.not_yet_valid(valid_from, today)
        for pk, valid_from, valid_to in Article.objects.filter(
            pk__in=[pk for pk, _ in ranked], status=Article.Status.APPROVED
        ).values_list("pk", "valid_from", "valid_to")
    }
    order = sorted(((validity[pk], -score, pk) for pk, score in ranked if pk in validity))[:limit]
    articles = Article.objects.select_related("category", "owner_unit").in_bulk(
        [pk for _, _, pk in order]
    )
    terms = sorted(weights, key=len, reverse=True)
    return [_hit(articles[pk], -negative, terms, now) for _, negative, pk in order]


# --- the management pages --------------------------------------------------------------------


def _manages(viewer) -> bool:
    return viewer.role in rules.MANAGERS


def editable_articles(viewer) -> QuerySet:
    """The articles the viewer keeps: all for the office, its own unit's for a unit."""
    rows = Article.objects.select_related("category", "owner_unit", "updated_by")
    if _manages(viewer):
        return rows
    if viewer.role == Role.UNIT_HANDLER and viewer.unit_id:
        return rows.filter(owner_unit_id=viewer.unit_id)
    return rows.none()


def stale_filter(now: datetime) -> Q:
    limit = now - timedelta(days=rules.STALE_AFTER_DAYS)
    return Q(valid_to__lt=timezone.localdate(now)) | Q(updated_at__lte=limit)


def article_list(
    *,
    viewer,
    text: str = "",
    status: str = "",
    category=None,
    stale: bool = False,
    now: datetime | None = None,
) -> QuerySet:
    """The viewer's articles, filtered; the question is matched by its words."""
    now = now or timezone.now()
    rows = editable_articles(viewer)
    for word in re.split(r"\s+", (text or "").strip())[:5]:
        if word:
            rows = rows.filter(question__icontains=word)
    if status in Article.Status.values:
        rows = rows.filter(status=status)
    if category is not None:
        rows = rows.filter(category=category)
    if stale:
        rows = rows.filter(stale_filter(now), status=Article.Status.APPROVED)
    return rows


def article_stale_reason(article: Article, now: datetime | None = None) -> str:
    now = now or timezone.now()
    return rules.stale_reason(
        valid_to=article.valid_to,
        updated_at=article.updated_at,
        now=now,
        today=timezone.localdate(now),
    )


def article_get(*, viewer, pk) -> Article:
    """One of the viewer's articles; 404 for any other (another unit's, say)."""
    try:
        return editable_articles(viewer).get(pk=int(pk))
    except (Article.DoesNotExist, TypeError, ValueError):
        raise Http404("没有这条知识库条目") from None


def pending_articles(*, viewer) -> QuerySet:
    if not _manages(viewer):
        return Article.objects.none()
    return editable_articles(viewer).filter(status=Article.Status.PENDING)


def synonyms_text() -> str:
    return "\n".join(g.words for g in SynonymGroup.objects.all())


def today_local(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def labelled_articles() -> list[tuple[str, str, str]]:
    """(question, standard answer, category code) of every approved article with a
    category, for the intake suggestions to learn citizens' words from. Expired articles
    count too: their policy may be out of date, not the words of the question."""
    return list(
        Article.objects.filter(status=Article.Status.APPROVED, category__isnull=False)
        .order_by("pk")
        .values_list("question", "answer", "category__code")
    )
