from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hotline.web"
    verbose_name = "业务页面"
