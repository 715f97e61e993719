"""Propscope from Python: step any model phase by phase, in the window or headless.

In a notebook or a script::

    import propscope

    propscope.show(model, x_train, y_train, batch_size=32)      # the window, on your model and data
    session = propscope.session(model, x_train, y_train)         # headless: the stepper API
    session.step_phase()                                         # forward of the first layer…

``model`` may be a real ``keras.Model`` (Keras 3; it is saved and reopened
through Propscope's checked model-file reader, so your own object is never
changed), a ``torch.nn.Sequential`` of ``Linear`` and activation modules (pass
``loss=nn.CrossEntropyLoss()`` and ``optimizer=torch.optim.SGD(...)``; the
session follows PyTorch's update rule), a ``core`` model, or the path of a
``.keras``/``.h5`` file. The options are ``fit``'s: ``batch_size``, ``epochs``,
``shuffle``, ``validation_split``, ``validation_data``, ``sample_weight``, plus
``seed`` (the shuffle seed); for a model that is not compiled, ``loss``,
``optimizer`` and ``metrics``.

This package is the public Python entry point; it sits above ``app`` (the
window) and imports Qt only when :func:`show` is called.
"""

from __future__ import annotations

from typing import Any

from propscope.convert import Prepared, make_session, prepare

__all__ = ["Prepared", "prepare", "session", "show"]


def session(model: Any, x: Any, y: Any, **fit_options: Any):
    """A headless :class:`core.stepper.TrainingSession` of ``model`` on ``x, y`` (see the module docstring)."""
    return make_session(prepare(model, x, y, **fit_options))


def show(model: Any, x: Any = None, y: Any = None, **fit_options: Any):
    """Open the Propscope window on ``model`` (and ``x, y`` when given) and return the window.

    In a script this blocks until the window is closed. In IPython or Jupyter
    with ``%gui qt`` it returns at once and the notebook stays usable; a second
    call shows the new model in the same window.
    """
    from propscope.window import show as show_in_window

    return show_in_window(prepare(model, x, y, **fit_options))
