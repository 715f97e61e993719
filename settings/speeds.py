"""The run speeds of the Steps bar: batches per second, or ``None`` for as fast as possible."""

from settings.tr_noop import tr_noop

#: batches per second for the speed settings below "max"; at 5 or less a run shows every phase in turn
SPEEDS = {tr_noop("slow (1 batch/s)"): 1.0, tr_noop("lesson (2 batches/s)"): 2.0,
          tr_noop("medium (5 batches/s)"): 5.0, tr_noop("fast (25 batches/s)"): 25.0, tr_noop("max"): None}
#: the pace lessons start at: a class can watch each batch go forward and back
LESSON_PACE = 2.0
#: the pace outside lessons
DEFAULT_PACE = None


def speed_key(batches_per_second: float | None) -> str:
    """The :data:`SPEEDS` key of a pace (the nearest offered one)."""
    if batches_per_second is None:
        return "max"
    paced = [(k, v) for k, v in SPEEDS.items() if v is not None]
    return min(paced, key=lambda kv: abs(kv[1] - batches_per_second))[0]
