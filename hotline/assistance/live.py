"""The suggestion engine for live work: today's directory and the newest trained model."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from hotline.assistance.engine import SuggestionEngine, loaded_model
from hotline.assistance.selectors import directory_snapshot

CALIBRATION = "calibration.jsonl"
REQUESTS = "requests.jsonl"


def models_folder() -> Path:
    return Path(settings.VAR_DIR) / "models"


def calibration_file() -> Path:
    """The office's hand-written requests for fitting the confidences: its own file in the
    data folder, else the one shipped with the product (written for the demo city: its
    lines name the demo's categories and units; lines naming none of the office's teach
    only the appeal type)."""
    own = Path(settings.VAR_DIR) / CALIBRATION
    return own if own.is_file() else Path(__file__).with_name(CALIBRATION)


def requests_file() -> Path | None:
    """The office's requests written down as citizens said them and labelled by hand (the
    layout of the calibration file), in its data folder: they teach the appeal type, the
    category and the unit each names. None when it keeps none."""
    own = Path(settings.VAR_DIR) / REQUESTS
    return own if own.is_file() else None


def current_engine() -> SuggestionEngine:
    """The directory is read afresh (it is small and the office edits it); the model
    file when a newer one has been saved."""
    return SuggestionEngine(directory_snapshot(), loaded_model(models_folder()))
