"""The knowledge base's pages (SPEC 9): the articles the office and the units keep, and
the office's review of the units' articles.

The office (supervisor) sees and edits every article and publishes at once; a unit
handler sees and edits its own unit's only, and its edits wait for review.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hotline.directory.models import Category
from hotline.domain import knowledge_search as rules
from hotline.domain.errors import DomainError
from hotline.knowledge import selectors, services
from hotline.knowledge.models import Article
from hotline.web.access import page
from hotline.web.export import Column, wants_export, xlsx_response
from hotline.web.forms.knowledge import ArticleForm, SynonymsForm
from hotline.web.paging import keyset_page, ordered

GET_POST = require_http_methods(["GET", "POST"])


def _initial(article: Article) -> dict:
    return {
        "question": article.question,
        "answer": article.answer,
        "category": article.category.code if article.category else "",
        "owner_unit": article.owner_unit.code if article.owner_unit else "",
        "source": article.source,
        "valid_from": article.valid_from,
        "valid_to": article.valid_to,
    }


def _is_unit(user) -> bool:
    return user.role not in rules.MANAGERS


ARTICLE_COLUMNS = [
    Column("问题", lambda a: a.question, 40),
    Column("标准答案", lambda a: a.answer, 60),
    Column("事项分类", lambda a: a.category.name if a.category_id else "", 16),
    Column("责任单位", lambda a: a.owner_unit.name if a.owner_unit_id else "热线办", 16),
    Column("有效期自", lambda a: a.valid_from, 12),
    Column("有效期至", lambda a: a.valid_to, 12),
    Column("状态", lambda a: a.get_status_display(), 8),
    Column("引用次数", lambda a: a.usage_count, 8),
    Column("更新时间", lambda a: a.updated_at, 18),
]


def _articles(request, now):
    """The articles the page lists, as filtered by its query."""
    category = None
    code = request.GET.get("category", "").strip()
    if code:
        category = Category.objects.filter(code=code[:20]).first()
    rows = selectors.article_list(
        viewer=request.user,
        text=request.GET.get("q", "")[:100],
        status=request.GET.get("status", ""),
        category=category,
        stale=request.GET.get("stale") == "1",
        now=now,
    )
    return rows


def _rows(request, now):
    rows = _articles(request, now)
    result = keyset_page(rows, cursor=request.GET.get("cursor"), key="updated_at", descending=True)
    return result, [(a, selectors.article_stale_reason(a, now)) for a in result.rows]


def _articles_page(request, *, form, editing=None, synonyms_form=None, status=200):
    now = timezone.now()
    result, rows = _rows(request, now)
    manager = not _is_unit(request.user)
    if manager and synonyms_form is None:
        synonyms_form = SynonymsForm(initial={"synonyms": selectors.synonyms_text()})
    context = {
        "page": result,
        "rows": rows,
        "form": form,
        "editing": editing,
        "manager": manager,
        "synonyms_form": synonyms_form if manager else None,
        "statuses": Article.Status.choices,
        "categories": Category.objects.filter(active=True, level__lte=2).order_by("code"),
        "filters": {
            "q": request.GET.get("q", "")[:100],
            "status": request.GET.get("status", ""),
            "category": request.GET.get("category", ""),
            "stale": request.GET.get("stale") == "1",
        },
    }
    return render(request, "web/knowledge/articles.html", context, status=status)


def _save_article(request):
    unit_handler = _is_unit(request.user)
    article_id = request.POST.get("article", "").strip()
    editing = selectors.article_get(viewer=request.user, pk=article_id) if article_id else None
    form = ArticleForm(request.POST, unit_handler=unit_handler)
    if not form.is_valid():
        return _articles_page(request, form=form, editing=editing, status=400)
    submit = request.POST.get("submit") != "draft"
    data = form.article_input(request.user.unit if unit_handler else None)
    try:
        if editing is None:
            article = services.article_create(actor=request.user, data=data, submit=submit)
        else:
            article = services.article_update(
                actor=request.user, article=editing, data=data, submit=submit
            )
    except DomainError as error:
        form.add_error(None, error.message)
        return _articles_page(request, form=form, editing=editing, status=400)
    done = {
        Article.Status.APPROVED: "已发布",
        Article.Status.PENDING: "已提交热线办审核",
        Article.Status.DRAFT: "已保存为草稿",
    }[article.status]
    messages.success(request, f"知识库条目「{article.question}」{done}")
    return redirect(reverse("web:knowledge_articles"))


def _save_synonyms(request):
    form = SynonymsForm(request.POST)
    if not form.is_valid():
        return _articles_page(
            request, form=ArticleForm(unit_handler=False), synonyms_form=form, status=400
        )
    try:
        groups = services.synonyms_replace(actor=request.user, text=form.cleaned_data["synonyms"])
    except DomainError as error:
        form.add_error("synonyms", error.message)
        return _articles_page(
            request, form=ArticleForm(unit_handler=False), synonyms_form=form, status=400
        )
    messages.success(request, f"同义词已保存，共 {len(groups)} 组")
    return redirect(reverse("web:knowledge_articles"))


@page("knowledge_articles")
@GET_POST
def knowledge_articles(request):
    unit_handler = _is_unit(request.user)
    if request.method == "POST":
        if request.POST.get("form") == "synonyms":
            if unit_handler:
                raise PermissionDenied("只有热线办可以维护同义词")
            return _save_synonyms(request)
        return _save_article(request)
    if wants_export(request):
        rows = ordered(_articles(request, timezone.now()), key="updated_at", descending=True)
        return xlsx_response(rows, columns=ARTICLE_COLUMNS, title="知识库")
    editing = None
    edit_id = request.GET.get("edit", "").strip()
    if edit_id:
        editing = selectors.article_get(viewer=request.user, pk=edit_id)
        form = ArticleForm(initial=_initial(editing), unit_handler=unit_handler)
    else:
        form = ArticleForm(unit_handler=unit_handler)
    return _articles_page(request, form=form, editing=editing)


@page("knowledge_review")
@GET_POST
def knowledge_review(request):
    if request.method == "POST":
        article = selectors.article_get(viewer=request.user, pk=request.POST.get("article", ""))
        decision = request.POST.get("decision", "")
        if decision not in ("approve", "reject"):
            messages.error(request, "请选择通过或退回")
            return redirect(reverse("web:knowledge_review"))
        try:
            with transaction.atomic():
                services.article_review(
                    actor=request.user,
                    article=article,
                    approve=decision == "approve",
                    note=request.POST.get("note", "")[: rules.REVIEW_NOTE_MAX + 1],
                )
        except DomainError as error:
            messages.error(request, f"「{article.question}」：{error.message}")
            rows = selectors.pending_articles(viewer=request.user)
            page_ = keyset_page(rows, cursor=None, key="updated_at")
            return render(request, "web/knowledge/review.html", {"page": page_}, status=400)
        outcome = "已通过并发布" if decision == "approve" else "已退回"
        messages.success(request, f"「{article.question}」{outcome}")
        return redirect(reverse("web:knowledge_review"))
    rows = selectors.pending_articles(viewer=request.user)
    result = keyset_page(rows, cursor=request.GET.get("cursor"), key="updated_at")
    return render(request, "web/knowledge/review.html", {"page": result})


urls = [
    path("knowledge/", knowledge_articles, name="knowledge_articles"),
    path("knowledge/review/", knowledge_review, name="knowledge_review"),
]
