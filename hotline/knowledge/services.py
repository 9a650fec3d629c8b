"""Writes to the knowledge base, one use case each, one transaction each.

The office (supervisor) publishes directly; a unit handler writes its own unit's
articles, which wait for the office's review (draft → pending → approved/rejected).
Only approved articles are in the search index: publishing writes their postings,
anything else (a unit's new edit, a rejection) takes them out.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hotline.directory.models import Category, Unit
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

APPROVED = Article.Status.APPROVED


@dataclass(frozen=True)
class ArticleInput:
    question: str
    answer: str
    category: Category | None = None
    owner_unit: Unit | None = None
    source: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


# --- the index ---------------------------------------------------------------------------


def _stats_row() -> IndexStats:
    stats = IndexStats.objects.filter(pk=1).first()
    return stats or IndexStats.objects.get_or_create(pk=1)[0]


def article_terms(question: str, answer: str):
    """Word counts of an article: its question counts twice (it says what it is about)."""
    text = f"{question}\n{question}\n{answer}"
    return rules.term_counts(segmentation.index_terms(text))


def _count_terms(terms, change: int) -> None:
    """Moves the document frequency of ``terms`` by ``change``."""
    terms = sorted(terms)
    if change > 0:
        Term.objects.bulk_create([Term(term=t) for t in terms], ignore_conflicts=True)
    Term.objects.filter(term__in=terms).update(documents=F("documents") + change)


def _unindex(article_id: int) -> None:
    postings = Posting.objects.filter(article_id=article_id)
    rows = list(postings.values_list("term", "length"))
    if not rows:
        return
    postings.delete()
    _count_terms([term for term, _ in rows], -1)
    _stats_row()
    IndexStats.objects.filter(pk=1).update(
        documents=F("documents") - 1, total_length=F("total_length") - rows[0][1]
    )


def _index(article: Article) -> None:
    _unindex(article.pk)
    counts = article_terms(article.question, article.answer)
    length = sum(counts.values())
    if not counts:
        return
    stats = _stats_row()
    average = (stats.total_length + length) / (stats.documents + 1)
    Posting.objects.bulk_create(
        Posting(
            term=term,
            article_id=article.pk,
            tf=min(tf, 32767),
            length=length,
            impact=rules.impact(tf=tf, length=length, average_length=average),
        )
        for term, tf in counts.items()
    )
    _count_terms(counts, 1)
    IndexStats.objects.filter(pk=1).update(
        documents=F("documents") + 1, total_length=F("total_length") + length
    )


# --- articles ----------------------------------------------------------------------------


def _clean(data: ArticleInput) -> ArticleInput:
    question = " ".join((data.question or "").split())
    answer = (data.answer or "").strip()
    source = (data.source or "").strip()
    rules.check_article(
        question=question,
        answer=answer,
        source=source,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )
    return ArticleInput(
        question=question,
        answer=answer,
        category=data.category,
        owner_unit=data.owner_unit,
        source=source,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )


def _owner(actor, data: ArticleInput) -> Unit | None:
    """A unit handler's articles are always its own unit's."""
    if actor is not None and actor.role == Role.UNIT_HANDLER:
        return actor.unit
    return data.owner_unit


def _fill(article: Article, data: ArticleInput) -> None:
    article.question = data.question
    article.answer = data.answer
    article.category = data.category
    article.source = data.source
    article.valid_from = data.valid_from
    article.valid_to = data.valid_to


@transaction.atomic
def article_create(
    *,
    actor: AbstractBaseUser | None,
    data: ArticleInput,
    submit: bool = True,
    demo: bool = False,
    at: datetime | None = None,
) -> Article:
    """A new article: published at once by the office, sent for review by a unit.

    ``actor`` None is the system itself (the demo loader): it publishes.
    """
    at = at or timezone.now()
    data = _clean(data)
    owner = _owner(actor, data)
    if actor is None:
        status = APPROVED
    else:
        rules.edit_check(role=actor.role, actor_unit=actor.unit_id, owner_unit=owner and owner.pk)
        status = rules.status_after_edit(role=actor.role, submit=submit)
    article = Article(
        owner_unit=owner, status=status, demo=demo, created_at=at, updated_at=at, updated_by=actor
    )
    _fill(article, data)
    article.save()
    if status == APPROVED:
        _index(article)
    return article


@transaction.atomic
def article_update(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    data: ArticleInput,
    submit: bool = True,
    at: datetime | None = None,
) -> Article:
    """Changes an article. A unit's change takes the article out of search until the
    office approves it; the office's change is published at once."""
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    rules.edit_check(role=actor.role, actor_unit=actor.unit_id, owner_unit=article.owner_unit_id)
    data = _clean(data)
    status = rules.status_after_edit(role=actor.role, submit=submit)
    _fill(article, data)
    if actor.role != Role.UNIT_HANDLER:
        article.owner_unit = data.owner_unit
    article.status = status
    article.review_note = ""
    article.updated_at = at
    article.updated_by = actor
    article.save()
    if status == APPROVED:
        _index(article)
    else:
        _unindex(article.pk)
    return article


@transaction.atomic
def article_review(
    *,
    actor: AbstractBaseUser | None,
    article: Article,
    approve: bool,
    note: str = "",
    at: datetime | None = None,
) -> Article:
    """The office approves (publishes) or rejects (with a reason) a unit's article."""
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    note = (note or "").strip()
    rules.review_check(role=actor.role, status=article.status, approve=approve, note=note)
    article.status = APPROVED if approve else Article.Status.REJECTED
    article.review_note = note
    article.updated_at = at
    article.save(update_fields=["status", "review_note", "updated_at"])
    if approve:
        _index(article)
    else:
        _unindex(article.pk)
    return article


def article_usage_record(*, reference: str) -> bool:
    """Counts one more use of the article a reference names (``KB<id> …``).

    Runs inside the caller's transaction (answering at intake); a reference that
    names no published article is a free-text basis and counts nothing.
    """
    article_id = rules.referenced_article(reference)
    if article_id is None:
        return False
    found = Article.objects.filter(pk=article_id, status=APPROVED).update(
        usage_count=F("usage_count") + 1
    )
    return bool(found)


# --- synonyms ------------------------------------------------------------------------------


@transaction.atomic
def synonyms_replace(
    *, actor: AbstractBaseUser | None, text: str, at: datetime | None = None
) -> list[SynonymGroup]:
    """Replaces every synonym group with the ones written, one group a line."""
    if actor is not None and actor.role not in rules.MANAGERS:
        raise rules.ArticleNotPermitted("只有热线办可以维护同义词")
    at = at or timezone.now()
    parsed = rules.parse_synonym_lines(text)
    SynonymGroup.objects.all().delete()
    groups = []
    for words in parsed:
        group = SynonymGroup.objects.create(words=" ".join(words)[:500], updated_at=at)
        Synonym.objects.bulk_create(Synonym(term=w, group=group) for w in words)
        groups.append(group)
    return groups


@transaction.atomic
def index_rebuild() -> int:
    """Rewrites the whole index from the published articles (after a dictionary change)."""
    Posting.objects.all().delete()
    Term.objects.all().delete()
    IndexStats.objects.update_or_create(pk=1, defaults={"documents": 0, "total_length": 0})
    count = 0
    for article in Article.objects.filter(status=APPROVED).iterator(chunk_size=500):
        _index(article)
        count += 1
    return count
