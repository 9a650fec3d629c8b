from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "hotline.assistance"
    verbose_name = "智能辅助"
