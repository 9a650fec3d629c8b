from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ReferenceConfig(AppConfig):
    name = "hotline.reference"
    verbose_name = "参考数据缓存"

    def ready(self):
        from hotline.reference import cache, triggers

        post_migrate.connect(triggers.install, sender=self)
        request_started.connect(cache.request_began)
        request_finished.connect(cache.request_ended)
        connection_created.connect(cache.watch_writes)
