from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "hotline.configuration"
    verbose_name = "系统配置"
