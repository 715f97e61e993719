"""A panel's new settings reach the controller through here, asking first when they discard progress."""

from __future__ import annotations

from app.window_context import WindowContext
from widgets.i18n import tr


class SettingsRequests:
    """A panel's new settings → the controller, asking first when that discards progress; the panel then
    shows what holds (the new settings, or the old ones after a refusal or a failure)."""

    def __init__(self, context: WindowContext, model_panel, data_panel, training_panel) -> None:
        self.context = context
        self.model_panel, self.data_panel, self.training_panel = model_panel, data_panel, training_panel

    def _change(self, apply, value, show, action: str, config=None) -> None:
        if self.context.may_discard(action, config):
            apply(value)
        show()

    def model(self, spec) -> None:
        c = self.context.controller
        if c.source is not None and spec != c.spec:  # the panel's layers replace a model opened from outside
            if self.context.ask(tr("Replace the opened model?"),
                                tr("The Model panel builds a new model, with new weights, in place of "
                                   "{source}. Continue?").format(source=c.source.label)):
                c.set_model(spec)
            self.model_panel.set_spec(c.spec)
            return
        self._change(c.set_model, spec, lambda: self.model_panel.set_spec(c.spec), "model")

    def training(self, config) -> None:
        c = self.context.controller
        # Epochs, hyper-parameters and batch size keep the training: only a new model asks.
        self._change(c.set_training, config, lambda: self.training_panel.set_config(c.train_config), "training",
                     config)

    def data(self, config) -> None:
        c = self.context.controller
        self._change(c.load_data, config, lambda: self.data_panel.set_config(c.data_config), "data")

    def data_options(self, config) -> None:
        c = self.context.controller
        self._change(c.set_data_options, config, lambda: self.data_panel.set_config(c.data_config),
                     "data_options")
