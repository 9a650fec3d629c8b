"""Model files: one versioned file per training, the newest one in use.

A file is ``suggestions-<version>.joblib`` holding the model and its metadata (when and
from what it was trained, its held-out accuracy). The version is the training time
(UTC, to the second) so that names sort in the order they were made.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import joblib

PREFIX = "suggestions-"
SUFFIX = ".joblib"
FORMAT = 3  # bumped when a file of an older layout can no longer be read


def version_stamp(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def save(model, folder: Path, *, version: str | None = None) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    version = version or version_stamp()
    model.metadata = {**model.metadata, "version": version, "format": FORMAT}
    path = folder / f"{PREFIX}{version}{SUFFIX}"
    partial = path.with_suffix(".part")
    joblib.dump({"format": FORMAT, "model": model}, partial, compress=3)
    os.replace(partial, path)  # a reader never sees half a file
    return path


def model_files(folder: Path) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def load(path: Path):
    data = joblib.load(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{Path(path).name} is not a suggestion model this version can read")
    return data["model"]


def load_newest(folder: Path):
    """The newest model in ``folder`` this version can read, or None when there is none."""
    for path in reversed(model_files(folder)):
        try:
            return load(path)
        except ValueError:
            continue
    return None
