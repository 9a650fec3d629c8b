"""Search-as-you-type pickers for categories, units and regions (htmx partials).

``GET /pickers/categories/?q=物业&name=category`` answers with the matching entries as
form inputs named ``name`` — radio buttons, or check boxes with ``multiple=1`` — so a
page places the answer inside its own form and the choice is posted with it. The
entries already chosen (sent under ``name``, e.g. ``hx-include`` of the answer's own
container) stay first and checked, so searching again never loses a choice. At most
20 matches, by name or code (regions also by alias and pinyin initials: "syl" finds
书院路街道); leaf categories are marked.
"""

import re

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from hotline.directory.selectors_search import (
    categories_by_code,
    category_search,
    region_search,
    regions_by_code,
    unit_options,
    unit_search,
)
from hotline.web.access import page

_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,60}$")
QUERY_MAX = 50


def _picker(request, *, default_name: str, search, chosen, template: str):
    name = request.GET.get("name", "")
    if not _FIELD_NAME.match(name):
        name = default_name
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    selected = [code for code in request.GET.getlist(name) if code]
    kept = chosen(codes=selected)
    kept_codes = {option.code for option in kept}
    found = [option for option in search(query=query) if option.code not in kept_codes]
    context = {
        "name": name,
        "query": query,
        "options": kept + found,
        "selected": kept_codes,
        "input_type": "checkbox" if request.GET.get("multiple") == "1" else "radio",
    }
    return render(request, template, context)


@page("category_search")
@require_GET
def category_picker(request):
    return _picker(
        request,
        default_name="category",
        search=category_search,
        chosen=categories_by_code,
        template="web/pickers/categories.html",
    )


@page("unit_search")
@require_GET
def unit_picker(request):
    return _picker(
        request,
        default_name="unit",
        search=unit_search,
        chosen=unit_options,
        template="web/pickers/units.html",
    )


@page("region_search")
@require_GET
def region_picker(request):
    return _picker(
        request,
        default_name="region",
        search=region_search,
        chosen=regions_by_code,
        template="web/pickers/regions.html",
    )


urls = [
    path("pickers/categories/", category_picker, name="category_search"),
    path("pickers/units/", unit_picker, name="unit_search"),
    path("pickers/regions/", region_picker, name="region_search"),
]
