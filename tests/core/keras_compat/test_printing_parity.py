"""What fit, evaluate, predict and summary print, compared with Keras 3's output (times masked)."""

import numpy as np
import pytest

import core
from core.progbar import Progbar, format_value
from core.summary import summary_text

from .helpers import LABELS, X, compile_both, final_lines, pair


def _run(capsys, model, calls):
    for name, args, kwargs in calls:
        getattr(model, name)(*args, **kwargs)
    return final_lines(capsys.readouterr().out)


@pytest.mark.parametrize("calls", [
    [("fit", (X, LABELS), {"epochs": 2, "validation_split": 0.25, "batch_size": 16, "shuffle": False})],
    [("fit", (X, LABELS), {"epochs": 2, "verbose": 2, "shuffle": False})],
    [("fit", (X, LABELS), {"epochs": 1, "verbose": 1, "shuffle": False})],
    [("evaluate", (X, LABELS), {}), ("evaluate", (X, LABELS), {"verbose": 2}),
     ("predict", (X,), {}), ("predict", (X,), {"verbose": 2}), ("predict", (X,), {"verbose": 0})],
], ids=["fit_auto_validation", "fit_verbose2", "fit_one_epoch_no_header", "evaluate_predict"])
def test_progress_output_matches_keras(keras, capsys, calls):
    km, pm = pair(keras)
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    capsys.readouterr()
    assert _run(capsys, pm, calls) == _run(capsys, km, calls)


def test_small_values_print_in_exponent_form_as_keras():
    assert format_value(6.2317e-05) == " 6.2317e-05"
    assert format_value(0.50684) == " 0.5068"
    assert format_value(-0.002) == " -0.0020"
    assert format_value(-0.002, signed=False) == " -2.0000e-03"  # verbose=2 compares the signed value


def test_live_bar_redraws_in_place(capsys):
    bar = Progbar(3, interval=0.0)
    for step in (1, 2, 3):
        bar.update(step, [("loss", 0.5 / step)])
    out = capsys.readouterr().out
    assert out.count("\r") == 3 and out.endswith("\n") and "\b" in out
    assert final_lines(out)[0].endswith("3/3\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m "
                                        "\x1b[1mTs\x1b[0m T/step - loss: 0.1667")  # the last value, as Keras shows it


SUMMARY_CASES = {
    "default": {},
    "show_trainable": {"show_trainable": True},
    "line_length_100": {"line_length": 100},
    "narrow_wraps_names": {"line_length": 50},
    "positions": {"positions": [0.5, 0.7, 1.0], "line_length": 90},
    "layer_range": {"layer_range": ["hidden_b", "hidden_b"]},
}


@pytest.mark.parametrize("case", sorted(SUMMARY_CASES))
def test_summary_matches_keras_verbatim(keras, case):
    kwargs = SUMMARY_CASES[case]
    models = {}
    for lib in (keras, core):
        model = lib.Sequential([lib.Input((5,)), lib.layers.Dense(7, activation="tanh", name="hidden_a"),
                                lib.layers.Dense(6, name="hidden_b"),
                                lib.layers.Dense(4, activation="softmax", name="a_rather_long_output_layer_name")])
        model.layers[1].trainable = False
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(X, LABELS, verbose=0)  # the optimizer's variables are counted once it has state
        models[lib.__name__] = model
    got = []
    keras_kwargs = dict(kwargs, line_length=kwargs.get("line_length") or (100 if "show_trainable" in kwargs else 88))
    models["keras"].summary(print_fn=got.append, **keras_kwargs)
    assert summary_text(models["core"], **keras_kwargs) == got[0]


def test_summary_of_a_functional_model_and_of_normalization_and_rescaling(keras):
    texts = []
    for lib in (keras, core):
        inputs = lib.Input((5,))
        norm = lib.layers.Normalization()
        norm.adapt(X)
        out = lib.layers.Dense(2)(norm(lib.layers.Rescaling(0.5)(inputs)))
        got = []
        lib.Model(inputs, out, name="net").summary(print_fn=got.append, line_length=88)
        texts.append(got[0])
    assert texts[1] == texts[0]


def test_summary_prints_returns_none_and_counts_adam_after_training(capsys):
    model = core.Sequential([core.Input((5,)), core.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert model.summary(line_length=76) is None
    before = capsys.readouterr().out
    assert "Optimizer params" not in before
    model.fit(X, LABELS, verbose=0)
    model.summary(line_length=76)
    assert " Optimizer params: 50 (200.00 B)" in capsys.readouterr().out  # iteration, rate, m and v of 24


def test_interactive_logging_can_be_sent_to_the_logging_module(capsys, caplog):
    model = core.Sequential([core.Input((5,)), core.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    core.config.disable_interactive_logging()
    try:
        with caplog.at_level("INFO"):
            model.fit(X, LABELS, epochs=2, verbose=2)
    finally:
        core.config.enable_interactive_logging()
    assert capsys.readouterr().out == "" and "Epoch 2/2" in caplog.text
    assert np.isfinite(model.evaluate(X, LABELS, verbose=0))
