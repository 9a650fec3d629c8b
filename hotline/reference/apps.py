from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_migrate, post_save


class ReferenceConfig(AppConfig):
    name = "hotline.reference"
    verbose_name = "参考数据缓存"

    def ready(self):
        from hotline.reference import cache, triggers

        post_migrate.connect(triggers.install, sender=self)
        request_started.connect(cache.request_began)
        request_finished.connect(cache.request_ended)
        for label in triggers.WATCHED:
            model = self.apps.get_model(label)
            post_save.connect(cache.written_here, sender=model)
            post_delete.connect(cache.written_here, sender=model)
