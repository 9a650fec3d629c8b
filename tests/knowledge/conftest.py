import pytest

from hotline.domain.enums import Role
from hotline.knowledge import segmentation
from hotline.knowledge.services import ArticleInput, article_create


@pytest.fixture
def kb(city):
    """The small city with its names in the segmentation dictionary."""
    segmentation.refresh_directory_words()
    return city


@pytest.fixture
def publish(kb):
    """``publish(question, answer, **fields)`` → an article published by the office."""

    def make(question, answer, *, at=None, **fields):
        return article_create(
            actor=kb.users[Role.SUPERVISOR],
            data=ArticleInput(question=question, answer=answer, **fields),
            at=at,
        )

    return make
