from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hotline.notifications"
    verbose_name = "通知"

    def ready(self):
        # The outbox hears what happens to orders; the orders app knows no subscriber.
        from hotline.notifications.outbox import (
            notify_deadline,
            notify_event,
            notify_merged_callers,
            notify_supervision_leader,
        )
        from hotline.orders.bus import DeadlineReached, EventRecorded, subscribe

        subscribe(EventRecorded, notify_event)
        subscribe(EventRecorded, notify_merged_callers)
        subscribe(EventRecorded, notify_supervision_leader)
        subscribe(DeadlineReached, notify_deadline)
