from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from hotline.domain.event_chain import (
    StoredEvent,
    canonical_json,
    chain,
    event_bytes,
    first_break,
    genesis,
    link,
)

CST = timezone(timedelta(hours=8))
FIELDS = dict(
    number="20240000001",
    seq=2,
    type="dispatch",
    at=datetime(2024, 1, 1, 9, 13, 18, tzinfo=CST),
    actor_id=7,
    from_status="registered",
    to_status="dispatched",
    data={"unit": "U-XTX", "co_units": ["U-A", "U-B"], "note": "市民“急”"},
)


def test_canonical_bytes_are_fixed():
    assert (
        event_bytes(**FIELDS)
        == (
            "20240000001\n2\ndispatch\n2024-01-01T01:13:18+00:00\n7\nregistered\ndispatched\n"
            '{"co_units":["U-A","U-B"],"note":"市民“急”","unit":"U-XTX"}'
        ).encode()
    )


def test_link_is_sha256_of_previous_and_bytes():
    import hashlib

    assert link("ab", b"cd") == hashlib.sha256(b"abcd").hexdigest()
    assert len(link(genesis("20240000001"), event_bytes(**FIELDS))) == 64


def test_deterministic():
    first = link(genesis("20240000001"), event_bytes(**FIELDS))
    second = link(genesis("20240000001"), event_bytes(**dict(FIELDS)))
    assert first == second


def test_genesis_depends_on_the_order_number():
    assert genesis("20240000001") != genesis("20240000002")
    assert genesis("20240000001") == genesis("20240000001")


def test_same_instant_in_another_zone_is_the_same_event():
    utc = dict(FIELDS, at=FIELDS["at"].astimezone(UTC))
    assert event_bytes(**utc) == event_bytes(**FIELDS)


def test_key_order_is_irrelevant_at_every_level():
    shuffled = dict(
        FIELDS,
        data={"unit": "U-XTX", "note": "市民“急”", "co_units": ["U-A", "U-B"]},
    )
    assert event_bytes(**shuffled) == event_bytes(**FIELDS)
    assert canonical_json({"b": {"y": 1, "x": 2}, "a": None}) == '{"a":null,"b":{"x":2,"y":1}}'


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("number", "20240000002"),
        ("seq", 3),
        ("type", "redispatch"),
        ("at", FIELDS["at"] + timedelta(microseconds=1)),
        ("actor_id", 8),
        ("actor_id", None),
        ("from_status", "returned"),
        ("to_status", "signed"),
        ("data", {"unit": "U-XTY", "co_units": ["U-A", "U-B"], "note": "市民“急”"}),
        ("data", {"unit": "U-XTX", "co_units": ["U-B", "U-A"], "note": "市民“急”"}),
        ("data", {"unit": "U-XTX", "co_units": ["U-A", "U-B"], "note": "市民“急” "}),
    ],
)
def test_any_field_change_changes_the_hash(name, value):
    original = link(genesis("20240000001"), event_bytes(**FIELDS))
    changed = link(genesis("20240000001"), event_bytes(**dict(FIELDS, **{name: value})))
    assert changed != original


def test_previous_hash_change_changes_the_hash():
    data = event_bytes(**FIELDS)
    assert link(genesis("20240000001"), data) != link(genesis("20240000002"), data)


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        event_bytes(**dict(FIELDS, at=datetime(2024, 1, 1)))


def _log(number="20240000001", n=4):
    start = datetime(2024, 1, 1, tzinfo=UTC)
    events = [
        StoredEvent(
            seq=i,
            type="register" if i == 1 else "sign",
            at=start + timedelta(hours=i),
            actor_id=None,
            from_status="" if i == 1 else "dispatched",
            to_status="registered" if i == 1 else "signed",
            data={"i": i},
            chain_hash="",
        )
        for i in range(1, n + 1)
    ]
    hashes = list(chain(number, events))
    return [replace(e, chain_hash=h) for e, h in zip(events, hashes, strict=True)]


def test_an_intact_log_has_no_break():
    assert first_break("20240000001", _log(), 4) is None


def test_breaks_are_found_at_the_first_wrong_seq():
    log = _log()
    edited = [*log[:2], replace(log[2], data={"i": 99}), log[3]]
    assert first_break("20240000001", edited, 4) == 3
    assert first_break("20240000001", [log[0], log[2], log[3]], 4) == 2  # removed
    swapped = [log[0], replace(log[2], seq=2), replace(log[1], seq=3), log[3]]
    assert first_break("20240000001", swapped, 4) == 2
    assert first_break("20240000001", log[:3], 4) == 4  # last one removed
    assert first_break("20240000001", log, 3) == 4  # one more than the order has
    assert first_break("20240000002", log, 4) == 1  # another order's chain


@pytest.mark.parametrize("secret", [b"k" * 32, b"x" * 64, b"long" * 40], ids=len)
def test_a_keyed_link_is_the_hmac_sha256_of_previous_and_bytes(secret):
    import hashlib
    import hmac
    import pickle

    from hotline.domain.event_chain import ChainKey

    key = ChainKey(secret)
    expected = hmac.new(secret, b"ab" + b"cd", hashlib.sha256).hexdigest()
    assert link("ab", b"cd", key) == expected != link("ab", b"cd")
    assert link("ab", b"cd", pickle.loads(pickle.dumps(key))) == expected  # to the workers


@pytest.mark.parametrize("secret", [None, b"k" * 32])
def test_a_link_function_takes_the_previous_hash_and_the_bytes_joined(secret):
    from hotline.domain.event_chain import ChainKey, event_text_after_number, link_function

    key = ChainKey(secret) if secret else None
    previous = genesis(FIELDS["number"])
    after_number = event_text_after_number(
        seq=FIELDS["seq"],
        type=FIELDS["type"],
        at_utc=FIELDS["at"].astimezone(UTC).isoformat(),
        actor_id=FIELDS["actor_id"],
        from_status=FIELDS["from_status"],
        to_status=FIELDS["to_status"],
        data_json=canonical_json(FIELDS["data"]),
    )
    joined = f"{previous}{FIELDS['number']}\n{after_number}".encode()
    assert link_function(key)(joined) == link(previous, event_bytes(**FIELDS), key)
