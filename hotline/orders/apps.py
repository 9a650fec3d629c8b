from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "hotline.orders"
    verbose_name = "工单"

    def ready(self):
        from hotline.orders.bus import EventRecorded, subscribe
        from hotline.orders.services.text_index import index_order_text

        subscribe(EventRecorded, index_order_text)
