from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "hotline.governance"
    verbose_name = "主动治理"
