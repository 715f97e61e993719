"""Keras names Propscope refuses are real Keras names, raise with a reason, and are on the compatibility page."""

from pathlib import Path

import pytest

import core
from core import unsupported
from core.unsupported import UnsupportedKerasName

DOC = (Path(__file__).resolve().parents[3] / "docs" / "keras-compatibility.md").read_text(encoding="utf-8")
MODULES = ["", "layers", "models", "utils", "datasets", "losses", "metrics", "optimizers", "activations",
           "initializers", "callbacks", "regularizers"]


@pytest.mark.parametrize("module", MODULES)
def test_refused_names_are_keras_names_that_raise_a_reason_and_are_documented(keras, module):
    kmod = keras if not module else getattr(keras, module)
    pmod = core if not module else getattr(core, module)
    for name in unsupported.names(module):
        assert hasattr(kmod, name), f"keras.{module}.{name} is not a Keras name"
        assert not hasattr(pmod, name)
        with pytest.raises(UnsupportedKerasName, match=f"{name} is not available in Propscope: .+"):
            getattr(pmod, name)
        row = f"| `keras{'.' + module if module else ''}` |"
        assert any(line.startswith(row) and f"`{name}`" in line for line in DOC.splitlines()), \
            f"keras.{module}.{name} is missing from the appendix of docs/keras-compatibility.md"


@pytest.mark.parametrize("module", ["callbacks", "optimizers", "losses", "metrics", "activations", "initializers",
                                    "regularizers"])
def test_every_public_keras_name_of_these_modules_is_provided_or_refused(keras, module):
    kmod, pmod = getattr(keras, module), getattr(core, module)
    undecided = [name for name in dir(kmod) if not name.startswith("_") and not hasattr(pmod, name)
                 and name not in unsupported.names(module)]
    assert undecided == []


def test_a_name_keras_does_not_have_is_a_plain_attribute_error():
    with pytest.raises(AttributeError) as info:
        _ = core.layers.Dense2
    assert not isinstance(info.value, NotImplementedError)
