"""Class names of the known data sets, marked for translation (Fashion-MNIST in Korean: 티셔츠/탑, 바지…).

Only a data set's names that match a known set exactly are translated: a
user's own labels ("Open", "loss"…) are shown as they are, whatever the
language.
"""

from __future__ import annotations

from settings.tr_noop import tr_noop

#: Fashion-MNIST's classes 0–9, as core.datasets.targets names them
FASHION_MNIST = (tr_noop("T-shirt/top"), tr_noop("Trouser"), tr_noop("Pullover"), tr_noop("Dress"), tr_noop("Coat"),
                 tr_noop("Sandal"), tr_noop("Shirt"), tr_noop("Sneaker"), tr_noop("Bag"), tr_noop("Ankle boot"))
KNOWN_SETS = (FASHION_MNIST,)


def is_known(names) -> bool:
    """Whether ``names`` are exactly the classes of a known data set (so they may be translated)."""
    return tuple(names) in KNOWN_SETS
