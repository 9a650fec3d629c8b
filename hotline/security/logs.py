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


class ClientErrorsOneLine(logging.Filter):
    """A refused or missing page (403, 404, 400…) is the visitor's business, not a fault
    of the server: Django logs a 403 with the exception's traceback, which buries the
    real errors; such a record keeps its one line. Server errors keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info, record.exc_text = None, None
        return True
