"""The suggestion engine for live work: today's directory and the newest trained model."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from hotline.assistance.engine import SuggestionEngine, loaded_model
from hotline.assistance.selectors import directory_snapshot


def models_folder() -> Path:
    return Path(settings.VAR_DIR) / "models"


def current_engine() -> SuggestionEngine:
    """The directory is read afresh (it is small and the office edits it); the model
    file once per process."""
    return SuggestionEngine(directory_snapshot(), loaded_model(models_folder()))
