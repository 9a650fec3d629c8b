from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "hotline.attachments"
    verbose_name = "附件"
