"""Training the intake suggestions: the one use case behind ``hotline train`` and the
retraining job; and keeping the dispatcher's first choice beside the suggestion."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hotline.assistance import model as learning
from hotline.assistance import store, training
from hotline.assistance.live import calibration_file, models_folder, requests_file
from hotline.assistance.models import DispatchChoice
from hotline.assistance.samples import requests_from_file
from hotline.assistance.selectors import directory_snapshot, training_articles, training_samples
from hotline.directory.models import Unit
from hotline.directory.selectors import catalogue_suggestion
from hotline.domain import events as ev
from hotline.orders.bus import EventRecorded


def model_train(
    *, since: datetime | None = None, refit: bool = True
) -> tuple[Path, learning.SuggestionModel, training.Evaluation]:
    """Learns from the history (from ``since``) and the approved knowledge base articles,
    fits the confidences on the office's hand-written requests and learns from its labelled
    ones too, tests on the latest month held out, saves the model and gives its file, the
    model and the test's figures. Raises ``training.NotEnoughHistory``."""
    labelled = requests_file()
    model, result = training.train_and_evaluate(
        training_samples(since=since),
        directory_snapshot(),
        refit=refit,
        articles=training_articles(),
        calibration=requests_from_file(calibration_file()),
        requests=requests_from_file(labelled) if labelled else (),
    )
    return store.save(model, models_folder()), model, result


def dispatch_choice_record(message: EventRecorded) -> None:
    """Keeps an order's first dispatch beside the lead unit the catalogue suggested for
    its category and place at that moment."""
    if not isinstance(message.event, ev.Dispatch):
        return
    order = message.order
    if DispatchChoice.objects.filter(order=order).exists():
        return
    suggestion = catalogue_suggestion(category=order.category, region=order.region)
    suggested = suggestion.lead if suggestion else None
    chosen = Unit.objects.get(code=message.event.unit)
    DispatchChoice.objects.create(
        order=order,
        suggested=suggested,
        chosen=chosen,
        followed=suggested is not None and suggested.pk == chosen.pk,
        at=message.event.at,
    )
