"""Keras names Propscope does not provide, each with the reason, instead of a bare ``AttributeError``.

``keras.layers.Conv2D`` in course code run with ``import core as keras``
raises :class:`UnsupportedKerasName` saying what Propscope is for and what to
use instead. The exception is an ``AttributeError`` (so ``hasattr`` is False,
as for any missing name) and a ``NotImplementedError`` (a real Keras name,
refused on purpose). ``docs/keras-compatibility.md`` lists the same names.
"""

from __future__ import annotations

MLP_ONLY = "Propscope steps through multi-layer perceptrons (Dense layers); flatten images and use Dense layers."
OTHER_NOISE = ("not implemented: Propscope offers Dropout (and BatchNormalization, ActivityRegularization and "
               "the L1/L2 weight regularizers) against overfitting.")
NO_SEQUENCES = "Propscope steps through MLPs; text and sequence models are outside what it shows."
NOT_COMPUTED = "a Keras 3 name that Propscope does not compute (see docs/keras-compatibility.md for what it does)."

_GROUPS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "": [
        (("constraints",), "weight constraints are not implemented; keras.regularizers (l1, l2, l1_l2) are."),
        (("ops", "tree"), "Propscope's arithmetic is NumPy (or torch) behind core.backend.Ops; "
                          "write NumPy for your own computations."),
        (("applications",), "pretrained convolutional networks are outside what Propscope shows (MLPs)."),
        (("preprocessing",), "load data with NumPy or core.datasets.load_file; layers.Rescaling and "
                             "layers.Normalization preprocess inside the model."),
        (("mixed_precision", "dtype_policies", "quantizers"), "Propscope computes in float32 or float64 only."),
        (("distribution", "visualization", "wrappers"), "outside what Propscope is for."),
    ],
    "layers": [
        (("AlphaDropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D",
          "SpatialDropout3D"), OTHER_NOISE),
        (("Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
          "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D", "MaxPooling1D",
          "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
          "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
          "UpSampling1D", "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D", "Cropping2D",
          "RandomFlip", "RandomRotation", "RandomZoom", "RandomCrop", "RandomTranslation", "Resizing",
          "CenterCrop"), MLP_ONLY),
        (("Embedding", "LSTM", "GRU", "SimpleRNN", "Bidirectional", "TimeDistributed", "RNN", "ConvLSTM2D",
          "MultiHeadAttention", "Attention", "TextVectorization", "StringLookup", "IntegerLookup"), NO_SEQUENCES),
        (("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot", "concatenate",
          "add"), "Propscope models are one chain of layers; merging branches is not supported."),
        (("LayerNormalization", "GroupNormalization", "UnitNormalization", "Reshape", "Permute", "RepeatVector",
          "Lambda", "PReLU", "Masking", "Identity", "CategoryEncoding", "Discretization", "Hashing",
          "EinsumDense", "TFSMLayer"), "not implemented: Propscope offers Dense, Flatten, Activation, ReLU, "
                                       "LeakyReLU, ELU, Softmax, Rescaling, Normalization, Dropout, "
                                       "BatchNormalization and ActivityRegularization."),
    ],
    "models": [
        (("clone_model",), "build the model again from its layers' configs, or save and load_model it."),
    ],
    "saving": [
        (("register_keras_serializable", "get_custom_objects", "custom_object_scope", "CustomObjectScope",
          "serialize_keras_object", "deserialize_keras_object", "get_registered_name", "get_registered_object",
          "KerasFileEditor"), "Propscope never loads custom objects or edits files in place; load_model opens "
                              "models made of Keras's own layers."),
    ],
    "utils": [
        (("image_dataset_from_directory", "text_dataset_from_directory", "timeseries_dataset_from_array",
          "audio_dataset_from_directory", "load_img", "img_to_array", "array_to_img", "save_img", "get_file",
          "pad_sequences", "PyDataset", "Sequence", "split_dataset", "FeatureSpace"),
         "Propscope trains on arrays and never downloads; load files with core.datasets.load_file (image "
         "folders, CSV, NPZ, IDX)."),
    ],
    "losses": [
        (("CosineSimilarity", "cosine_similarity", "BinaryFocalCrossentropy", "binary_focal_crossentropy",
          "CategoricalFocalCrossentropy", "categorical_focal_crossentropy", "CTC", "ctc", "Dice", "dice", "Tversky",
          "tversky", "Circle", "circle", "CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy"),
         NOT_COMPUTED),
    ],
    "metrics": [
        (("CosineSimilarity", "R2Score", "F1Score", "FBetaScore", "IoU", "BinaryIoU", "MeanIoU", "OneHotIoU",
          "OneHotMeanIoU", "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
          "SpecificityAtSensitivity", "PearsonCorrelation", "ConcordanceCorrelation", "pearson_correlation",
          "concordance_correlation", "binary_focal_crossentropy", "categorical_focal_crossentropy"), NOT_COMPUTED),
    ],
    "optimizers": [
        (("Adafactor", "Ftrl", "Lamb", "Muon", "ScheduleFreeAdamW", "LossScaleOptimizer", "MultiOptimizer",
          "OptimizerMap", "legacy"), NOT_COMPUTED),
    ],
    "activations": [
        (("glu", "sparsemax", "squareplus", "soft_shrink", "hard_shrink", "tanh_shrink", "threshold", "sparse_plus",
          "sparse_sigmoid"), NOT_COMPUTED),
    ],
    "initializers": [(("STFT", "STFTInitializer", "stft"), NOT_COMPUTED)],
    "regularizers": [(("OrthogonalRegularizer", "orthogonal_regularizer"),
                      "Propscope offers the L1, L2 and L1L2 penalties (l1, l2, l1_l2), whose gradients it shows.")],
    "callbacks": [(("OrbaxCheckpoint",), "use ModelCheckpoint (.keras or .weights.h5 files).")],
    "datasets": [
        (("cifar10", "cifar100", "imdb", "reuters", "boston_housing", "california_housing"),
         "only mnist and fashion_mnist are read (from local files); open other data with core.datasets.load_file."),
    ],
}


class UnsupportedKerasName(AttributeError, NotImplementedError):
    """A Keras name that Propscope does not provide; the message says why and what to use."""


def missing(module: str, name: str):
    """Raise for ``keras.<module>.<name>``: the reason when it is a known Keras name, else a plain AttributeError."""
    for names, reason in _GROUPS.get(module, []):
        if name in names:
            where = f"keras.{module}.{name}" if module else f"keras.{name}"
            raise UnsupportedKerasName(f"{where} is not available in Propscope: {reason}")
    raise AttributeError(f"module 'core{'.' + module if module else ''}' has no attribute {name!r}")


def reason(module: str, name: str) -> str | None:
    """Why ``keras.<module>.<name>`` is refused, or None when it is not a refused Keras name."""
    for names_, why in _GROUPS.get(module, []):
        if name in names_:
            return why
    return None


def names(module: str) -> list[str]:
    """The refused names of ``module`` (for the compatibility page and its test)."""
    return [name for names, _ in _GROUPS.get(module, []) for name in names]
