"""History import's rows, byte for byte: what the import stores never changes when the
way it makes its rows does.

The rows of a fixed history (generated lines covering every kind of event; one order
copied with all its times in UTC — the same instants in another offset, in the same
chunk; two whose texts need escaping, and one corrected to a summary that does) are
made with a fixed time, fixed ids and a fixed key, in both loaders' forms, and their
SHA-256 compared with the digest the import gave before its rows were made faster. A
change that alters a single stored byte (an order's state or indexed copies, an event's
data, time or chain hash, a side record, a citizen, a link) changes the digest.
"""

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from hotline.demo import DIRECTORY
from hotline.directory.services import directory_import
from hotline.domain.event_chain import ChainKey
from hotline.orders.history_rows import POSTGRESQL, SQLITE, chain_unnumbered, prepare_chunk
from hotline.orders.services import history_import
from tests.conftest import local

HISTORY = Path(__file__).parent.parent / "data" / "history_rows" / "orders.jsonl"
KEY = ChainKey(b"a fixed audit key for the byte-for-byte test, 40+ chars")
CHUNK = 40

# SHA-256 of the rows the import made of HISTORY before it was made faster.
DIGESTS = {
    (POSTGRESQL, True): "9c25e66d50c5d21b4a43fad7055afa9eb90978f5ce1c895aebb08cc21fb035d4",
    (POSTGRESQL, False): "0bf73ff68bfb1eba453cdd09e5068803f6b4f72f15f748e136eb49887806d07e",
    (SQLITE, True): "d4b4b793334dad0e845dee90fe233f50d5980293f7ebd32e348157a017b3b9d1",
    (SQLITE, False): "16a4cb00f9bb526a7d6991fd0ae22d2f61401bbff849e26c9b6bb45c51385842",
}


def _ids(codes) -> dict[str, int]:
    # Not the database's: on PostgreSQL its sequences run on from test to test.
    return {code: 1000 + index for index, code in enumerate(sorted(codes))}


def _rows_digest(dialect: str, keyed: bool) -> str:
    context = history_import._context()
    context = replace(
        context,
        unit_ids=_ids(context.unit_ids),
        category_ids=_ids(context.category_ids),
        region_ids=_ids(context.region_ids),
        now=local(2026, 1, 2, 3, 4, 5, 678901),
        dialect=dialect,
        chain_key=KEY if keyed else None,
    )
    lines = [
        (number, text)
        for number, text in enumerate(HISTORY.read_text(encoding="utf-8").splitlines(), start=1)
    ]
    digest = hashlib.sha256()

    def put(value) -> None:
        digest.update(value if isinstance(value, bytes) else repr(value).encode())
        digest.update(b"\0")

    for start in range(0, len(lines), CHUNK):
        part = lines[start : start + CHUNK]
        ids = list(range(50_000 + start, 50_000 + start + len(part)))
        chunk = prepare_chunk(part, context, ids)
        # The writer numbers the orders that come without a number, then chains them.
        for index, number in enumerate(chunk.numbers):
            if number is None:
                chunk.numbers[index] = f"{chunk.years[index]}{9_000_000 + start + index:07d}"
        for value in (
            chunk.lines, chunk.numbers, chunk.merged_into, chunk.split_from,
            chunk.citizens, chunk.tags, chunk.external_refs,
        ):  # fmt: skip
            put(value)
        # The order rows after the writer's columns: COPY text (str or its UTF-8 bytes,
        # the same stored bytes either way) or SQLite tuples.
        for rest in chunk.rests:
            put(rest.encode() if isinstance(rest, str) else rest)
        for table in sorted(chunk.tables):
            put(table)
            put(chunk.counts[table])
            put(chunk.tables[table])
        put(chain_unnumbered(chunk, context.chain_key))
    return digest.hexdigest()


@pytest.mark.parametrize("keyed", [True, False], ids=["keyed", "unkeyed"])
@pytest.mark.parametrize("dialect", [POSTGRESQL, SQLITE])
def test_the_rows_are_the_bytes_the_import_always_wrote(db, dialect, keyed):
    directory_import(folder=DIRECTORY)
    assert _rows_digest(dialect, keyed) == DIGESTS[(dialect, keyed)]
