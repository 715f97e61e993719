"""The run speeds of the Steps bar: batches per second, or ``None`` for as fast as possible."""

from settings.tr_noop import tr_noop

#: batches per second for the speed settings below "max"
SPEEDS = {tr_noop("slow (1 batch/s)"): 1.0, tr_noop("medium (5 batches/s)"): 5.0,
          tr_noop("fast (25 batches/s)"): 25.0, tr_noop("max"): None}
