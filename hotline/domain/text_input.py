"""What people type, made plain before it is checked or stored.

Operators and citizens type on Chinese keyboards: digits and Latin letters often come in
full width (１３８…, ＡＢＣ), pasted text carries zero-width and control characters, and
single-line fields pick up line breaks and runs of spaces. ``single_line`` and
``free_text`` turn such input into one stable form (applying either twice changes
nothing more), ``phone_digits`` / ``phone_input`` say whether a text is a Chinese phone
number and give it as digits only.

Only full-width digits, letters and (in single-line fields) full-width ASCII punctuation
are folded: free text keeps its Chinese punctuation (，。：；！？（）) as typed.
"""

import re
import unicodedata
from enum import StrEnum

# Full-width digits and Latin letters → ASCII (the NFKC fold, restricted to them).
_ALNUM_FOLD = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
# Every full-width ASCII form (punctuation too) and the ideographic space, for fields
# that hold codes, numbers and names rather than prose.
_ASCII_FOLD = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFF01, 0xFF5F)}
_ASCII_FOLD[0x3000] = " "

# Characters nobody means to store: C0/C1 controls, format characters (zero-width
# spaces and joiners, bidirectional overrides, the byte-order mark, soft hyphens),
# lone surrogates and the non-characters. Line breaks and tabs are handled separately;
# characters newer than this Python's Unicode tables (new emoji) are kept.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs"}
_KEPT_CONTROLS = {"\n", "\t"}


def _noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


_NEWLINES = re.compile(r"\r\n?|[\u0085\u2028\u2029\x0b\x0c]")
_SPACES = re.compile(r"[^\S\n]+")
_ANY_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


_WITHOUT_KEPT_CONTROLS = str.maketrans("", "", "".join(_KEPT_CONTROLS))


def _visible(text: str) -> str:
    # Nearly every text is printable throughout once its line breaks and tabs are set
    # aside; str.isprintable (in C) is false for every character dropped here, so only
    # the rest is read character by character.
    if text.isprintable() or text.translate(_WITHOUT_KEPT_CONTROLS).isprintable():
        return text
    return "".join(
        ch
        for ch in text
        if ch in _KEPT_CONTROLS
        or (unicodedata.category(ch) not in _DROPPED_CATEGORIES and not _noncharacter(ch))
    )


def _cut(text: str, limit: int | None) -> str:
    if limit is not None and len(text) > limit:
        text = text[:limit]
    return text


def single_line(text: str | None, limit: int | None = None) -> str:
    """A name, phone, address or code: full-width ASCII folded, invisible characters
    dropped, every run of white space (line breaks included) one space, no space at
    either end; cut to ``limit`` characters when given."""
    plain = text and text.isascii() and text.isprintable() and "  " not in text
    if plain and text == text.strip():
        return _cut(text, limit).rstrip()  # codes, numbers, times: nothing to do
    text = (text or "").translate(_ASCII_FOLD)
    text = _ANY_SPACE.sub(" ", _visible(_NEWLINES.sub("\n", text))).strip()
    return _cut(text, limit).rstrip()


def free_text(text: str | None, limit: int | None = None) -> str:
    """Content, replies, reasons: full-width digits and letters folded, Chinese
    punctuation kept, invisible characters dropped, line breaks kept (at most one blank
    line in a row), spaces inside a line collapsed, no white space at either end; cut to
    ``limit`` characters when given."""
    text = _NEWLINES.sub("\n", (text or "").translate(_ALNUM_FOLD))
    lines = (_SPACES.sub(" ", line).strip() for line in _visible(text).split("\n"))
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _cut(text, limit).rstrip()


# --- phone numbers ------------------------------------------------------------------------


class PhoneKind(StrEnum):
    MOBILE = "mobile"  # 1[3-9] + 9 digits
    LANDLINE = "landline"  # area code 0xx / 0xxx + 7–8 digits
    LOCAL = "local"  # a landline written without its area code
    SERVICE = "service"  # 400 / 800 numbers and the 95xxx service lines


_PHONE_PATTERNS = (
    (PhoneKind.MOBILE, re.compile(r"1[3-9][0-9]{9}")),
    (PhoneKind.LANDLINE, re.compile(r"0[1-9][0-9]{1,2}[2-9][0-9]{6,7}")),
    (PhoneKind.SERVICE, re.compile(r"(?:400|800)[0-9]{7}|95[0-9]{3,6}")),
    (PhoneKind.LOCAL, re.compile(r"[2-9][0-9]{6,7}")),
)
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")
_COUNTRY_PREFIXES = ("+86", "0086")
PHONE_INPUT_MAX = 30


def phone_kind(digits: str) -> PhoneKind | None:
    """Which kind of Chinese phone number ``digits`` (digits only) is, if any."""
    if not (digits.isascii() and digits.isdigit()):
        return None
    for kind, pattern in _PHONE_PATTERNS:
        if pattern.fullmatch(digits):
            return kind
    return None


def phone_digits(text: str | None, *, service: bool = True) -> str | None:
    """A Chinese phone number as digits only, or None when ``text`` is not one.
    Separators (spaces, hyphens, brackets) and ``+86`` / ``0086`` are dropped; the
    digits must be ASCII (``phone_input`` folds full-width ones first). Service numbers
    (400/800/95xxx) count only with ``service=True``: a citizen's contact number must
    be one the unit can call back."""
    digits = _PHONE_SEPARATORS.sub("", text or "")
    for prefix in _COUNTRY_PREFIXES:
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    kind = phone_kind(digits)
    if kind is None or (kind is PhoneKind.SERVICE and not service):
        return None
    return digits


def phone_input(text: str | None, *, service: bool = True) -> str | None:
    """``phone_digits`` of what someone typed: full-width digits, the ideographic space
    and invisible characters are normalised first (１３８ ００００ ０００１ → 13800000001)."""
    return phone_digits(single_line(text, PHONE_INPUT_MAX * 2), service=service)


def phone_typed(text: str | None) -> str:
    """A phone number as far as it has been typed (for look-ups while typing): folded
    and without separators, not checked."""
    return _PHONE_SEPARATORS.sub("", single_line(text, PHONE_INPUT_MAX * 2))[:PHONE_INPUT_MAX]
