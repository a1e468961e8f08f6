"""rhetoric.packs: cache records many to a file; named arrays of plain numbers."""

from __future__ import annotations

import os

import numpy as np
import pytest

from rhetoric import packs, paths

KEY_A, KEY_B, KEY_C = "a" * 64, "b" * 64, "c" * 64


def test_records_round_trip_across_packs():
    packs.write_records("things", {KEY_A: b"first", KEY_B: b"second record"})
    packs.write_records("things", {KEY_C: b"third"})
    found = packs.read_records("things", {KEY_A, KEY_C, "d" * 64})
    assert set(found) == {KEY_A, KEY_C}
    # records come back padded to 8 bytes, starting aligned
    assert found[KEY_A].tobytes().rstrip(b"\0") == b"first"
    assert found[KEY_C].tobytes().rstrip(b"\0") == b"third"
    assert len(list((paths.cache_dir() / "things").glob("*.pack"))) == 2
    assert not list((paths.cache_dir() / "things").glob("*.tmp"))


def test_damaged_packs_are_skipped():
    packs.write_records("things", {KEY_A: b"first"})
    (pack,) = (paths.cache_dir() / "things").glob("*.pack")
    pack.write_bytes(pack.read_bytes()[:20])  # index cut short
    assert packs.read_records("things", {KEY_A}) == {}
    pack.write_bytes(b"something else entirely")
    assert packs.read_records("things", {KEY_A}) == {}


def test_keep_deletes_the_oldest_packs():
    folder = paths.cache_dir() / "big"
    seen: set = set()
    for i, key in enumerate((KEY_A, KEY_B, KEY_C)):
        packs.write_records("big", {key: b"x" * 10}, keep=2)
        (new,) = set(folder.glob("*.pack")) - seen
        os.utime(new, ns=(i * 10**9, i * 10**9))  # written i seconds after the epoch
        seen.add(new)
    assert set(packs.read_records("big", {KEY_A, KEY_B, KEY_C})) == {KEY_B, KEY_C}


def test_arrays_round_trip_exactly():
    arrays = {
        "ints": np.arange(7, dtype=np.int64),
        "small": np.asarray([1, -2, 3], dtype=np.int8),
        "flags": np.asarray([True, False, True]),
        "grid": np.linspace(0, 1, 12).reshape(3, 4),
        "empty": np.zeros(0, dtype=np.int32),
        "text": np.frombuffer("naïve “trust”".encode(), dtype=np.uint8),
    }
    record = b"".join(packs.encode_arrays(arrays))
    back = packs.decode_arrays(np.frombuffer(record, dtype=np.uint8))
    assert list(back) == list(arrays)
    for name, array in arrays.items():
        assert back[name].dtype == array.dtype and back[name].shape == array.shape
        assert np.array_equal(back[name], array)


def test_arrays_refuse_anything_but_plain_numbers():
    with pytest.raises(TypeError, match="not a plain number type"):
        packs.encode_arrays({"objects": np.asarray(["a", None], dtype=object)})
    record = bytearray(b"".join(packs.encode_arrays({"x": np.arange(3)})))
    forged = bytes(record).replace(b'"<i8"', b'"|O8"')  # header now asks for Python objects
    assert packs.decode_arrays(np.frombuffer(forged, dtype=np.uint8)) is None
    record[-1] ^= 0xFF  # one flipped bit in the data: the CRC no longer matches
    assert packs.decode_arrays(np.frombuffer(bytes(record), dtype=np.uint8)) is None
