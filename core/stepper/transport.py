"""Objects full of arrays between the app and its training process, through shared memory.

A snapshot of 784-1024-1024-10 holds ~45 MB of arrays (W before and after,
ΔW, ∂L/∂W, the optimizer's moments); copying that through a pipe 30 times a
second would cost the GUI most of its time. Here the arrays travel
out of band: the sender pickles the object with protocol 5, which hands every
contiguous array over as a raw buffer; the buffers are copied once into a
shared-memory *slot*, and only the small pickled skeleton goes through the
pipe. The receiver rebuilds the object with read-only NumPy arrays that are
views of the slot — no copy at all.

A slot is written again only when the receiver says it is free
(:meth:`SlotReader.released`): when no array viewing it is alive any more
(every view keeps the slot's one base array referenced, so its reference
count says so). A view that keeps an old snapshot therefore keeps its
numbers; the sender meanwhile writes into other slots, and when all are
held (a hidden view keeps the last frame it drew for as long as it is
hidden) it leaves the oldest to the receiver for good — removes its name;
the memory stays mapped there until its last array goes — and makes a new
one. Training never waits for the GUI.

Only this project's own processes talk through it (the app and the child it
started); nothing read from a file comes this way.
"""

from __future__ import annotations

import mmap
import os
import pickle
import sys
from multiprocessing import resource_tracker, shared_memory
from typing import Any

import numpy as np

ALIGN = 64


class Header:
    """What goes through the pipe for one object: the slot's name, the buffers' places, the skeleton."""

    __slots__ = ("slot", "places", "skeleton", "dropped")

    def __init__(self, slot: str | None, places: list[tuple[int, int]], skeleton: bytes,
                 dropped: tuple[str, ...] = ()) -> None:
        self.slot, self.places, self.skeleton, self.dropped = slot, places, skeleton, dropped

    def __getstate__(self):
        return self.slot, self.places, self.skeleton, self.dropped

    def __setstate__(self, state) -> None:
        self.slot, self.places, self.skeleton, self.dropped = state


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN


class SlotWriter:
    """The sending side: a few shared-memory slots, each written whole and then lent to the receiver.

    Parameters
    ----------
    slots : int
        How many slots are kept for reuse.
    prefix : str
        Start of the segments' names (the receiver attaches by name).
    abandon : bool
        When every slot is lent out, hand the oldest to the receiver for good
        and make a new one (True), or skip the object (False: :meth:`write`
        returns None).
    """

    def __init__(self, slots: int = 4, prefix: str = "propscope", abandon: bool = True) -> None:
        self.count = slots
        self.prefix = prefix
        self.abandon = abandon
        self._free: list[shared_memory.SharedMemory] = []
        self._lent: dict[str, shared_memory.SharedMemory] = {}
        self._dropped: list[str] = []

    def write(self, obj: Any, force: bool = False) -> Header | None:
        """Put ``obj`` into a free slot and return its header; None when every slot is lent out
        (with ``force``, a slot is added instead: for a message that must arrive)."""
        buffers: list[pickle.PickleBuffer] = []
        skeleton = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
        raws = [b.raw() for b in buffers]
        total = sum(_aligned(r.nbytes) for r in raws)
        if not raws:
            return Header(None, [], skeleton)
        shm = self._slot_for(total, force)
        if shm is None:
            return None
        target = np.frombuffer(shm.buf, np.uint8, count=total)
        places, offset = [], 0
        for raw in raws:
            n = raw.nbytes
            target[offset:offset + n] = np.frombuffer(raw, np.uint8)
            places.append((offset, n))
            offset += _aligned(n)
        del target
        self._lent[shm.name] = shm
        dropped, self._dropped = tuple(self._dropped), []
        return Header(shm.name, places, skeleton, dropped)

    def _slot_for(self, size: int, force: bool = False) -> shared_memory.SharedMemory | None:
        fits = [s for s in self._free if s.size >= size]
        if fits:
            shm = min(fits, key=lambda s: s.size)
            self._free.remove(shm)
            return shm
        if self._free:  # too small: replace the smallest free slot by a bigger one
            small = min(self._free, key=lambda s: s.size)
            self._free.remove(small)
            self._dropped.append(small.name)  # the receiver unmaps it when it hears
            _destroy(small)
        elif len(self._lent) >= self.count and not force:
            if not self.abandon:
                return None
            # Every slot is held (a view keeps the frame it drew last, and a hidden view keeps it for
            # long): leave the oldest to the receiver — its name goes, its memory stays mapped there
            # until its last array goes — and make a new one.
            name = next(iter(self._lent))
            self._dropped.append(name)
            _destroy(self._lent.pop(name))
        return shared_memory.SharedMemory(create=True, size=max(_aligned(size + size // 4), 4096))

    def release(self, name: str) -> None:
        """The receiver no longer uses slot ``name``."""
        shm = self._lent.pop(name, None)
        if shm is not None:
            self._free.append(shm)

    def close(self) -> None:
        """Remove every slot (the receiver's views stay valid until it closes its own mappings)."""
        for shm in [*self._free, *self._lent.values()]:
            _destroy(shm)
        self._free, self._lent = [], {}


class SlotReader:
    """The receiving side: rebuilds objects from headers as read-only views of the slots."""

    def __init__(self) -> None:
        self._segments: dict[str, tuple[shared_memory.SharedMemory, np.ndarray]] = {}
        self._lent: set[str] = set()

    def read(self, header: Header) -> Any:
        """The object ``header`` describes, or None when its slot is gone already (left to this side and
        removed before this side looked: a frame lost, nothing else)."""
        for name in header.dropped:
            self.forget(name)
        if header.slot is None:
            return pickle.loads(header.skeleton)
        try:
            base = self._base(header.slot)
        except FileNotFoundError:
            return None
        views = [base[offset:offset + n] for offset, n in header.places]
        self._lent.add(header.slot)
        try:
            return pickle.loads(header.skeleton, buffers=views)
        finally:
            del views

    def _base(self, name: str) -> np.ndarray:
        held = self._segments.get(name)
        if held is None:
            base = attach(name)
            base.flags.writeable = False
            held = self._segments[name] = (name, base)
        return held[1]

    def released(self) -> list[str]:
        """Slots read before whose arrays are all gone now: tell the sender, which may write them again."""
        out = []
        for name in list(self._lent):
            base = self._segments[name][1]
            if sys.getrefcount(base) <= 3:  # the dict's tuple, `base`, getrefcount's argument
                self._lent.discard(name)
                out.append(name)
        return out

    def forget(self, name: str) -> None:
        """Drop a segment the sender has removed; the mapping goes with the last array that views it."""
        self._segments.pop(name, None)
        self._lent.discard(name)

    def close(self) -> None:
        for name in list(self._segments):
            self.forget(name)


def send_array_segment(array: np.ndarray) -> shared_memory.SharedMemory:
    """A new segment holding a copy of ``array`` (training data sent once per session)."""
    shm = shared_memory.SharedMemory(create=True, size=max(array.nbytes, 1))
    np.frombuffer(shm.buf, array.dtype, count=array.size).reshape(array.shape)[...] = array
    return shm


def array_from_segment(name: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    """Attach a segment made by :func:`send_array_segment`; the array is a read-only view of it."""
    count = int(np.prod(shape, dtype=np.int64))
    array = np.frombuffer(attach(name), np.dtype(dtype), count=count).reshape(shape)
    array.flags.writeable = False
    return array


def attach(name: str) -> np.ndarray:
    """The bytes of shared-memory segment ``name`` as a uint8 array that keeps the mapping alive.

    On Linux the segment is mapped straight from ``/dev/shm``: the mapping then lives exactly as long
    as the arrays that view it (``SharedMemory`` objects would try to unmap it under live views when
    collected, and complain). Elsewhere through ``SharedMemory``, kept alive by the array.
    """
    path = os.path.join("/dev/shm", name)
    if os.path.exists(path):
        fd = os.open(path, os.O_RDWR)
        try:
            mapped = mmap.mmap(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
        return np.frombuffer(mapped, np.uint8)
    shm = shared_memory.SharedMemory(name=name)
    _untrack(shm)  # the sender owns the segment and removes it; this side only maps it
    _KEPT.append(shm)
    return np.frombuffer(shm.buf, np.uint8)


_KEPT: list = []  # segments attached without /dev/shm: mapped until the process ends


def _untrack(shm: shared_memory.SharedMemory) -> None:
    """Attaching registers the segment with Python's resource tracker, which would remove it (and warn)
    when this process ends although its creator still uses it (Python < 3.13 has no ``track=False``)."""
    try:
        resource_tracker.unregister("/" + shm.name, "shared_memory")
    except Exception:  # noqa: BLE001 — no tracker running: nothing to undo
        pass


def _destroy(shm: shared_memory.SharedMemory) -> None:
    try:
        shm.close()
    except BufferError:
        pass
    try:
        shm.unlink()
    except FileNotFoundError:
        pass
