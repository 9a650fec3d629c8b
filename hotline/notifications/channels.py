"""How a notification leaves the building: SMS through the office's gateway, e-mail
through Django's mail (SMTP configured by the environment)."""

from __future__ import annotations

import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from hotline.domain.masking import mask_phone
from hotline.domain.redaction import redact_phones

logger = logging.getLogger(__name__)


class Sender(Protocol):
    def send(self, *, to: str, subject: str, text: str) -> None:
        """Hands the message over, or raises: the delivery job retries it later."""


class LoggingSmsGateway:
    """Stands in for the office's SMS gateway until one is contracted: each message is
    written to the log, and counts as sent."""

    def send(self, *, to: str, subject: str, text: str) -> None:
        logger.info("短信 → %s：%s", mask_phone(to), redact_phones(text))


class EmailSender:
    def send(self, *, to: str, subject: str, text: str) -> None:
        send_mail(subject, text, None, [to])


class PoliceFeedbackSender:
    """Posts the feedback document (the text, JSON) to the 110 system's endpoint (the
    address) with the office's token for it; anything but a 2xx answer is a failure,
    tried again later."""

    def send(self, *, to: str, subject: str, text: str) -> None:
        request = urllib.request.Request(
            to,
            data=text.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.HOTLINE_110_FEEDBACK_TOKEN}",
            },
        )
        with urllib.request.urlopen(
            request, timeout=settings.HOTLINE_110_FEEDBACK_TIMEOUT
        ) as answer:
            if not 200 <= answer.status < 300:
                raise OSError(f"110 接口返回 HTTP {answer.status}")


def sender(channel: str) -> Sender:
    if channel == "email":
        return EmailSender()
    if channel == "police":
        return PoliceFeedbackSender()
    if channel == "sms":
        return import_string(settings.HOTLINE_SMS_GATEWAY)()
    raise ValueError(f"unknown notification channel {channel!r}")
