from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hotline.directory"
    verbose_name = "组织目录"
