"""Retraining the intake suggestions when the history has grown since the last model."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max

from hotline.assistance import store
from hotline.assistance.live import models_folder
from hotline.assistance.samples import SKIPPED_DISPOSITIONS
from hotline.assistance.services import model_train
from hotline.assistance.training import NotEnoughHistory
from hotline.domain.schedule import retraining_due
from hotline.orders.models import Order


def model_retrain(*, now: datetime) -> str:
    folder = models_folder()
    newest = store.load_newest(folder)
    trained = newest.metadata if newest is not None else {}
    history = Order.objects.exclude(disposition__in=sorted(SKIPPED_DISPOSITIONS)).aggregate(
        orders=Count("pk"), latest=Max("received_at")
    )
    trained_to = trained.get("to")
    if not retraining_due(
        trained_on=trained.get("samples"),
        trained_to=datetime.fromisoformat(trained_to) if trained_to else None,
        history=history["orders"],
        history_to=history["latest"],
    ):
        if newest is None:
            return "没有历史工单，未训练"
        return f"历史工单未增加（{history['orders']} 张），沿用模型 {trained.get('version')}"
    try:
        path, _, result = model_train()
    except NotEnoughHistory as error:
        return f"未训练：{error}"
    return (
        f"已保存模型 {path.name}：检验月 {result.test_month}，事项分类首选 "
        f"{result.category_top1:.1%}，主办单位前三 {result.lead_top3:.1%}"
    )
