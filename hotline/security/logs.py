"""Keeps citizens' phone numbers out of the logs: a log line is read by whoever runs the
servers, and the access log would otherwise hold every number searched for
(``/orders/?phone=…``), and the SMS lines every number texted."""

import logging
import re

from hotline.domain.redaction import PHONE_SHOWN, redact_phones

# Query parameters that carry a phone number, whatever its spelling (URL-encoded
# spaces and plus signs included): their whole value goes.
_PHONE_PARAMETER = re.compile(r"(?i)([?&](?:phone|caller|mobile|tel)=)[^&\s\"]*")


def redact_log_text(text: str) -> str:
    return redact_phones(_PHONE_PARAMETER.sub(rf"\g<1>{PHONE_SHOWN}", text))


class RedactPhones(logging.Filter):
    """Renders the record's message and takes the phone numbers out of it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_log_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
