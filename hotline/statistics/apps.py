from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "hotline.statistics"
    verbose_name = "统计"
