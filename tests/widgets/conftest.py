"""Snapshots from real sessions, for feeding the views."""

import numpy as np
import pytest

import core
from core.stepper import TrainingSession


def session_for(hidden=((8, "tanh"), (6, "tanh")), out=(1, "sigmoid"), d=2, n=64, loss="binary_crossentropy",
                image=False, optimizer="adam"):
    rng = np.random.default_rng(0)
    if image:
        x = rng.random((n, 28, 28)).astype("float32")
        y = rng.integers(0, 10, n)
        first = [core.layers.Flatten(input_shape=(28, 28))]
    else:
        x = rng.normal(size=(n, d)).astype("float32")
        y = (x[:, 0] * x[:, 1] > 0).astype("float32") if out[0] == 1 else rng.integers(0, out[0], n)
        first = [core.Input(shape=(d,))]
    model = core.Sequential(first + [core.layers.Dense(u, activation=a) for u, a in hidden]
                            + [core.layers.Dense(out[0], activation=out[1])])
    model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    return TrainingSession(model, x, y, batch_size=16, seed=0, validation_split=0.25)


@pytest.fixture
def small_session():
    return session_for()


@pytest.fixture
def mnist_session():
    return session_for(hidden=((100, "relu"),), out=(10, "softmax"), loss="sparse_categorical_crossentropy",
                       image=True)


_DATA: dict = {}


def frame_for(session, snap=None, confusion=True):
    """A frame of ``session`` as the window makes one: its snapshot, history and data (one data context per
    session, as the window keeps it)."""
    from core.stepper.frame import DataContext, frame_of

    data = _DATA.get(id(session))
    if data is None or data[0] is not session:
        out = session.model.output_shape[-1]
        class_names = tuple(str(i) for i in range(max(out, 2)))
        task = "binary" if len(class_names) == 2 else "classification"
        data = _DATA[id(session)] = (session, DataContext.of(session, task, class_names))
    return frame_of(session, snap, data[1], confusion=confusion)
