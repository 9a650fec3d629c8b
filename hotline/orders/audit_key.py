"""The office's audit key, from the settings (``HOTLINE_AUDIT_KEY``): never stored in
the database it protects."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from hotline.domain.event_chain import ChainKey


def chain_key() -> ChainKey | None:
    """The key the event chains are written and checked with; None: unkeyed."""
    return key_of(settings.HOTLINE_AUDIT_KEY)


def previous_chain_key() -> ChainKey | None:
    """The key the chains were written with before ``hotline audit rekey``."""
    return key_of(settings.HOTLINE_AUDIT_PREVIOUS_KEY)


@lru_cache(maxsize=4)
def key_of(text: str) -> ChainKey | None:
    return ChainKey(text.encode("utf-8")) if text else None
