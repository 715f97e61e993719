"""``keras.config``: the global settings a course touches.

``floatx``/``set_floatx`` (the dtype of new layers and models), ``epsilon``/
``set_epsilon`` (the fuzz factor of crossentropy and normalization),
``image_data_format`` (always ``"channels_last"``), and interactive logging
(whether progress bars and messages go to stdout or to the ``logging`` module).
"""

from __future__ import annotations

from core.backend.config import epsilon, floatx, set_epsilon, set_floatx
from core.progbar import (disable_interactive_logging, enable_interactive_logging,
                          is_interactive_logging_enabled)


def image_data_format() -> str:
    """Always ``"channels_last"``, Keras's default."""
    return "channels_last"


def set_image_data_format(data_format: str) -> None:
    if data_format != "channels_last":
        raise NotImplementedError(f"set_image_data_format({data_format!r}): Propscope uses channels_last only.")


__all__ = ["disable_interactive_logging", "enable_interactive_logging", "epsilon", "floatx", "image_data_format",
           "is_interactive_logging_enabled", "set_epsilon", "set_floatx", "set_image_data_format"]
