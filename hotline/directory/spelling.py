"""Pinyin initials of place names, so that a region picker finds 书院路街道 by "syl".

Computed here on the server with pypinyin (which knows how a character is read within a
word), stored on the region and searched in SQL like its name.
"""

from pypinyin import Style, lazy_pinyin


def _kept(text: str) -> list[str]:
    # Letters and digits in a name ("A区") are typed as they are; punctuation is not typed.
    return [c for c in text.lower() if c.isascii() and c.isalnum()]


def initials(name: str) -> str:
    """书院路街道 → "syljd"."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=_kept)
    return "".join(letters).lower()


def region_initials(name: str, aliases: str) -> str:
    """The initials of a region's name and of each of its aliases, space-separated:
    "xtx yt" for 湘潭县 known as 易俗河 is searched by the start of any of them."""
    names = [name, *(a.strip() for a in aliases.split(";"))]
    return " ".join(filter(None, (initials(n) for n in names if n)))
