"""How deep a JSON text nests, told without parsing it: Python's parser recurses once
per level, so a body of a hundred thousand brackets ends in a RecursionError (a 500)
instead of a refusal. Bodies are checked with this before they are parsed."""

import re

# Brackets outside strings; a string is consumed whole (escapes included), so the
# brackets inside it do not count.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")

# Far above anything the API or Open311 takes (an order's parts: four levels).
DEPTH_MAX = 32


def nests_deeper_than(raw: bytes, limit: int = DEPTH_MAX) -> bool:
    depth = 0
    for token in _TOKENS.finditer(raw):
        first = token.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != ord('"'):
            depth -= 1
    return False
