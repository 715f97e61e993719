"""Objects through shared-memory slots: read-only views without a copy, slots reused only when free."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from core.stepper.snapshot import frozen
from core.stepper.transport import SlotReader, SlotWriter


@pytest.fixture
def pair():
    writer, reader = SlotWriter(slots=2), SlotReader()
    yield writer, reader
    reader.close()
    writer.close()


def _free(writer, reader):
    gc.collect()
    for name in reader.released():
        writer.release(name)


def test_objects_arrive_as_read_only_views_with_their_values(pair):
    writer, reader = pair
    sent = {"w": frozen(np.arange(12, dtype=np.float32).reshape(3, 4)), "n": 7, "strided": np.arange(10)[::3],
            "nested": [np.ones(5), ("x", np.zeros((2, 2), np.int64))]}
    got = reader.read(writer.write(sent))
    np.testing.assert_array_equal(got["w"], sent["w"])
    np.testing.assert_array_equal(got["strided"], [0, 3, 6, 9])
    assert got["n"] == 7 and got["nested"][1][0] == "x" and got["w"].dtype == np.float32
    assert not got["w"].flags.writeable and not got["nested"][0].flags.writeable
    with pytest.raises(ValueError):
        got["w"][0, 0] = 1.0


def test_a_slot_is_reused_only_when_no_array_views_it(pair):
    writer, reader = pair
    first = reader.read(writer.write({"a": np.full(100, 1.0)}))
    kept = first["a"]
    del first
    _free(writer, reader)
    assert reader.released() == []  # `kept` still views the slot
    second = reader.read(writer.write({"a": np.full(100, 2.0)}))  # the other slot
    np.testing.assert_array_equal(kept, 1.0)
    del second
    _free(writer, reader)
    third = reader.read(writer.write({"a": np.full(100, 3.0)}))  # reuses the second's slot, not the kept one
    np.testing.assert_array_equal(kept, 1.0)
    np.testing.assert_array_equal(third["a"], 3.0)


def test_when_every_slot_is_held_the_oldest_is_left_to_the_reader(pair):
    writer, reader = pair
    held = [reader.read(writer.write({"a": np.full(1000, float(k))})) for k in range(2)]
    late = writer.write({"a": np.full(1000, 9.0)})  # both slots held: the oldest is given up
    assert late is not None and late.dropped
    third = reader.read(late)
    for k, obj in enumerate(held):  # what the reader holds keeps its numbers
        np.testing.assert_array_equal(obj["a"], float(k))
    np.testing.assert_array_equal(third["a"], 9.0)
    unread = writer.write({"a": np.zeros(3)})
    writer.write({"a": np.zeros(3)})
    writer.write({"a": np.zeros(3)})  # `unread`'s slot is given up before it was read
    assert reader.read(unread) is None


def test_a_bigger_object_gets_a_bigger_slot(pair):
    writer, reader = pair
    small = reader.read(writer.write({"a": np.zeros(10)}))
    del small
    _free(writer, reader)
    big = reader.read(writer.write({"a": np.arange(200_000, dtype=np.float64)}))
    assert big["a"][-1] == 199_999
