from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "hotline.linkage"
    verbose_name = "12345–110联动"

    def ready(self):
        # The feedback to 110 hears what happens to orders; the orders app knows no
        # subscriber.
        from hotline.linkage.services import feedback_on_conclusion
        from hotline.orders.bus import EventRecorded, subscribe

        subscribe(EventRecorded, feedback_on_conclusion)
