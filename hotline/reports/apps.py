from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hotline.reports"
    verbose_name = "通报"
