"""Citizen data taken out of text that leaves the office's hands: public and published
documents, and the logs.

Phone numbers are found in every way people write them: with or without the country
code (+86, 0086), grouped by spaces, hyphens or dots (139-1234-5678, 138 0013 8000),
and landlines with their area code (0731-12345678, (0731)12345678).
"""

import re

# Digit separators people type inside a number.
_SEP = r"[ \-.\u00a0]?"
_COUNTRY = rf"(?:(?:\+|00)?86{_SEP})?"
_MOBILE = rf"1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}"
_AREA = r"(?:0[1-9][0-9]{1,2}|\(0[1-9][0-9]{1,2}\)|（0[1-9][0-9]{1,2}）)"
_LANDLINE = rf"{_AREA}{_SEP}[0-9]{{3,4}}{_SEP}[0-9]{{4}}"
PHONE = re.compile(rf"(?<![0-9+])(?:{_COUNTRY}{_MOBILE}|{_COUNTRY}{_LANDLINE})(?![0-9])")

PHONE_SHOWN = "[电话]"


def redact_phones(text: str) -> str:
    return PHONE.sub(PHONE_SHOWN, text or "")
