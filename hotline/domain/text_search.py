"""The words of the order search (SPEC 13: searching years of orders by what the
citizen said and what the unit replied).

Chinese is written without spaces, and a dictionary cut (jieba, as the knowledge base
uses) misses words it does not know: a search for 噪音 must find 施工噪音扰民 whichever
way a dictionary would cut it. So an order's text is indexed as every pair of adjacent
characters (CJK bigrams, as full-text engines index Chinese), and a query as the pairs
of each of its words: every pair must be present. A one-character query word matches
the pairs it begins. Latin letters and digits form whole words, in lower case.

Each term is a run of letters only, so the database's own full-text syntax never has to
quote one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The most terms a query keeps: enough for a sentence, bounded for the database.
QUERY_TERMS_MAX = 32


def _pairs(run: str) -> list[str]:
    if not _CJK.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(*texts: str) -> str:
    """The terms an order's texts are indexed by, space-separated, each once."""
    terms = dict.fromkeys(
        term for text in texts for run in _RUNS.findall(text or "") for term in _pairs(run)
    )
    return " ".join(terms)


@dataclass(frozen=True)
class Term:
    text: str
    prefix: bool  # one character: matches the terms it begins


def query_terms(query: str) -> list[Term]:
    """The terms every matching order must hold; empty for a query with no words."""
    terms: dict[str, Term] = {}
    for run in _RUNS.findall(query or ""):
        for term in _pairs(run):
            terms.setdefault(term, Term(term, prefix=len(term) == 1 and bool(_CJK.match(term))))
    return list(terms.values())[:QUERY_TERMS_MAX]
