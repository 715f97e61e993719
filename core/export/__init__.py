"""Export: weights in several formats, session files, and the atomic writes they share."""

from core.export.weights import (export_all, export_csv, export_json, export_keras_h5, export_npz, export_torch,
                                 named_weights, torch_sequential_code, torch_state_dict)

__all__ = ["export_all", "export_csv", "export_json", "export_keras_h5", "export_npz", "export_torch",
           "named_weights", "torch_sequential_code", "torch_state_dict"]
