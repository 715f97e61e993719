"""Settings → model and session, for every loss the window offers, the way the window and CLI build them."""

import numpy as np
import pytest

from core.datasets import Dataset, generate
from settings.build import build_session
from settings.config import DataConfig, ModelSpec, TrainConfig
from settings.vocabulary import LOSSES, loss_fits


def _three_classes() -> Dataset:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(90, 4)).astype("float32")
    return Dataset(x, np.argmax(x[:, :3], axis=1), name="three", class_names=("a", "b", "c"))


@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_builds_and_trains_on_data_it_fits(loss):
    data = next(d for d in (_three_classes(), generate("circle", 80, 0.1, 0), generate("plane", 80, 0.1, 0))
                if loss_fits(loss, d.task))
    spec = ModelSpec().fitted_to(data, loss)
    train = TrainConfig(loss=loss, optimizer="adam", batch_size=16, epochs=1)
    built = build_session(data, DataConfig(validation_fraction=0.25), spec, train)
    snap = built.session.step_epoch()
    assert built.session.step == built.session.batches_per_epoch
    assert np.isfinite(snap.loss) and built.model.loss.name == loss
    assert len(built.prepared.x_train) == built.session.n


def test_a_full_batch_override_and_shared_preparation():
    data = generate("spiral", 100, 0.1, 0)
    config = DataConfig(validation_fraction=0.2)
    first = build_session(data, config, ModelSpec(), TrainConfig())
    second = build_session(data, config, ModelSpec(), TrainConfig(), batch_size=80, prepared=first.prepared)
    assert second.prepared is first.prepared and second.session.batch_size == 80 == second.session.n
    for a, b in zip(first.model.get_weights(), second.model.get_weights()):  # the training seed decides
        np.testing.assert_array_equal(a, b)
