"""One neuron's chain rule as LaTeX and MathML: every number equals the snapshot's own."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import core
from core.export.chain_rule import Num, chain_rule, to_html, to_latex, to_mathml, to_text
from core.stepper import TrainingSession


@pytest.fixture
def snapshot():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = rng.integers(0, 3, 64)
    core.random.set_random_seed(1)
    model = core.Sequential([core.Input(shape=(5,)), core.layers.Dense(4, activation="tanh"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    session = TrainingSession(model, x, y, batch_size=16, seed=1)
    session.step_batch()
    return session.step_batch()


def _numbers(row):
    return [p.value for p in row.parts if isinstance(p, Num)]


def test_every_term_of_a_hidden_neuron_is_the_snapshot_s(snapshot):
    rule = chain_rule(snapshot, column=1, unit=2, sample=3)
    hidden, output = snapshot.weighted_layers
    z, a, grad_a, delta, dw, db, step = rule.rows
    assert _numbers(z)[-1] == pytest.approx(float(hidden.z[3, 2]), rel=1e-5)
    assert _numbers(a)[-1] == pytest.approx(float(hidden.a[3, 2]), rel=1e-5)
    # ∂L/∂a_j = Σ_k w_jk δ_k: recomputed from the next layer's weights and deltas, and as captured
    assert _numbers(grad_a)[-1] == pytest.approx(float(output.W[2] @ output.delta[3]), rel=1e-5)
    assert _numbers(grad_a)[-1] == pytest.approx(float(hidden.grad_a[3, 2]), rel=1e-4)
    g, fprime, d = _numbers(delta)
    assert d == pytest.approx(float(hidden.delta[3, 2]), rel=1e-5) and g * fprime == pytest.approx(d, rel=1e-4)
    i = int(hidden.top_input[2])
    assert _numbers(dw)[-1] == pytest.approx(float(hidden.dW[i, 2]), rel=1e-4)
    assert _numbers(db)[-1] == pytest.approx(float(hidden.db[2]), rel=1e-4)
    assert _numbers(step)[-1] == pytest.approx(float(hidden.dW_applied[i, 2]), rel=1e-5)
    assert "SGD" in step.note() and rule.title.startswith("dense, neuron j = 2, sample n = 3, step 2")


def test_the_output_neuron_says_softmax_couples_the_outputs(snapshot):
    rule = chain_rule(snapshot, column=2, unit=0)
    text = "\n".join(to_text(rule))
    assert "δ_j = a_j (∂L/∂a_j − Σ_k ∂L/∂a_k a_k)" in text
    assert any("(ŷ − y)/N" in row.note() for row in rule.rows)
    assert chain_rule(snapshot, column=3, unit=0) is None


def test_latex_mathml_and_html_say_the_same(snapshot):
    rule = chain_rule(snapshot, column=1, unit=1)
    tex = to_latex(rule)
    assert tex.count(r"\\") == len(rule.rows) - 1 and r"\frac{\partial L}{\partial a_{j}}" in tex
    assert r"\sum_{k} w_{jk} \delta_{k}" in tex
    mathml = to_mathml(rule)
    root = ET.fromstring(f"<div>{mathml}</div>")  # well-formed, no script
    maths = root.findall("math")
    assert len(maths) == len(rule.rows) and all(m.get("display") == "block" for m in maths)
    first = f"{_numbers(rule.rows[0])[-1]:.6g}"
    assert first in tex and first in mathml and first in to_html(rule)


def test_every_note_and_the_title_are_in_the_translation_catalogue():
    from app.handout import CHAIN_RULE_TEXTS
    from core.export.chain_rule import NOTES, ChainRule

    assert set(NOTES.values()) | {ChainRule.TITLE} <= set(CHAIN_RULE_TEXTS)
