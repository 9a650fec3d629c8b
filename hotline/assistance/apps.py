from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "hotline.assistance"
    verbose_name = "智能辅助"

    def ready(self):
        # The first dispatch is compared with the suggestion when it is recorded.
        from hotline.assistance.services import dispatch_choice_record
        from hotline.orders.bus import EventRecorded, subscribe

        subscribe(EventRecorded, dispatch_choice_record)
