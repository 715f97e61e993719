"""Keras's ``BatchNormalization`` with its backward pass written out.

In training (``fit``, the stepper) each feature is normalized by the batch's
own mean and variance, then scaled and shifted by the learned γ and β::

    μ = mean(x)        σ² = mean(x²) − μ²        (over the batch; Keras's torch formula)
    x̂ = (x − μ) / √(σ² + ε)                      = z, what the views show as the layer's z
    a = γ·x̂ + β

and the moving statistics, used instead of μ and σ² at inference
(``evaluate``, ``predict``), move toward the batch's in the update phase::

    moving_mean ← moving_mean·momentum + μ·(1 − momentum)
    moving_variance ← moving_variance·momentum + σ²·(1 − momentum)

Backward, with g = ∂L/∂a and N the samples of the batch::

    δ = ∂L/∂x̂ = g·γ
    ∂L/∂γ = Σ g·x̂          ∂L/∂β = Σ g
    ∂L/∂x = (δ − Σδ/N − x̂·Σ(δ·x̂)/N) / √(σ² + ε)

(at inference, or for a frozen layer, which Keras runs in inference mode:
∂L/∂x = δ / √(moving_variance + ε)). γ and β are trainable weights; the
moving statistics are non-trainable, so the summary counts 4 × features
parameters of which 2 × features are non-trainable, as Keras does.
"""

from __future__ import annotations

from typing import Any

from core import initializers
from core import regularizers as regularizers_module
from core.arguments import refuse
from core.layers.base import Layer
from core.layers.core_layers import CONSTRAINTS_REFUSED


class BatchNormalization(Layer):
    """Keras ``BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, ...)``.

    Parameters
    ----------
    axis : int
        The features axis (the last one for an MLP's ``(batch, units)``).
    momentum : float
        Of the moving averages.
    epsilon : float
        Added to the variance before the square root.
    center, scale : bool
        Whether β (an offset) and γ (a factor) are learned.
    beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer
        Defaults ``"zeros"``, ``"ones"``, ``"zeros"``, ``"ones"``.
    beta_regularizer, gamma_regularizer : optional
        Penalties on β and γ.

    Notes
    -----
    In training the forward pass records ``mean``, ``variance`` (the batch's)
    and ``inv_std`` = 1/√(σ² + ε) (broadcastable to the input) and
    ``batch_statistics=True``; at inference the moving statistics take their place.
    """

    trainable_param_names = ("gamma", "beta")
    updates_state = True

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 moving_mean_initializer: Any = "zeros", moving_variance_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False, renorm_clipping: Any = None,
                 renorm_momentum: float = 0.99, synchronized: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if synchronized:
            raise ValueError("Argument synchronized=True is only supported with the TensorFlow backend.")
        refuse("BatchNormalization", CONSTRAINTS_REFUSED, beta_constraint=beta_constraint,
               gamma_constraint=gamma_constraint)
        refuse("BatchNormalization", "Batch renormalization is not implemented; use renorm=False (the default).",
               renorm=renorm)
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = center, scale
        self.synchronized = synchronized
        self.renorm, self.renorm_clipping, self.renorm_momentum = renorm, renorm_clipping, renorm_momentum
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        found = (("gamma", regularizers_module.get(gamma_regularizer)),
                 ("beta", regularizers_module.get(beta_regularizer)))
        self.regularizers = {k: r for k, r in found if r is not None}
        self.param_names = (("gamma",) if scale else ()) + (("beta",) if center else ()) + (
            "moving_mean", "moving_variance")

    # --- shapes and weights -------------------------------------------------------
    def compute_output_shape(self, input_shape):
        if self.axis >= len(input_shape) or self.axis < -len(input_shape):
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                             f"Received: axis={self.axis}")
        if input_shape[self.axis] is None:
            raise ValueError(f"BatchNormalization {self.name!r} needs a known size on axis {self.axis}, got "
                             f"{tuple(input_shape)}.")
        return tuple(input_shape)

    def initial_weights(self, input_shape, rng):
        shape = (int(input_shape[self.axis]),)
        dtype = self.ops.dtype
        weights = [self.gamma_initializer(shape, dtype, rng)] if self.scale else []
        if self.center:
            weights.append(self.beta_initializer(shape, dtype, rng))
        return weights + [self.moving_mean_initializer(shape, dtype, rng),
                          self.moving_variance_initializer(shape, dtype, rng)]

    def _param(self, name: str):
        return self.params[self.param_names.index(name)] if name in self.param_names else None

    @property
    def gamma(self):
        return self._variables[self.param_names.index("gamma")] if self.scale and self._variables else None

    @property
    def beta(self):
        return self._variables[self.param_names.index("beta")] if self.center and self._variables else None

    @property
    def moving_mean(self):
        return self._variables[self.param_names.index("moving_mean")] if self._variables else None

    @property
    def moving_variance(self):
        return self._variables[self.param_names.index("moving_variance")] if self._variables else None

    def weights_problem(self, weights):
        variance = weights.get("moving_variance")
        if variance is not None and variance.size and float(variance.min()) + self.epsilon <= 0:
            return f"moving_variance {float(variance.min()):.3g} is below −ε: a variance is never negative."
        return None

    # --- maths ------------------------------------------------------------------------
    def _axes(self, ndim: int) -> tuple[int, ...]:
        feature = self.axis % ndim
        return tuple(d for d in range(ndim) if d != feature)

    def _shape(self, ndim: int) -> tuple[int, ...]:
        """The stats' shape broadcast against the input: ``(1, C)`` for an MLP."""
        feature = self.axis % ndim
        return tuple(-1 if d == feature else 1 for d in range(ndim))

    def forward(self, ops, x, training=False, record=None):
        ndim, axes = len(x.shape), self._axes(len(x.shape))
        shape = self._shape(ndim)
        batch = bool(training and self.trainable)  # as Keras: a frozen layer normalizes with its moving statistics
        if batch:
            mean = ops.mean(x, axis=axes, keepdims=True)
            variance = ops.mean(ops.square(x), axis=axes, keepdims=True) - ops.square(mean)
        else:
            mean = self._param("moving_mean").reshape(shape)
            variance = self._param("moving_variance").reshape(shape)
        inv_std = 1.0 / ops.sqrt(variance + ops.scalar(self.epsilon))
        centred = x - mean
        gamma = self._param("gamma")
        # Keras's torch batch_normalization: (x − μ) · (rsqrt(σ² + ε)·γ) + β.
        a = centred * (inv_std * gamma.reshape(shape) if gamma is not None else inv_std)
        beta = self._param("beta")
        if beta is not None:
            a = a + beta.reshape(shape)
        x_hat = centred * inv_std
        if record is not None:
            record.update(mean=mean, variance=variance, inv_std=inv_std, batch_statistics=batch)
        return x_hat, a

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None, need_grads=True, record=None):
        ndim, axes = len(x.shape), self._axes(len(x.shape))
        shape = self._shape(ndim)
        gamma = self._param("gamma")
        delta = grad_a * gamma.reshape(shape) if gamma is not None else grad_a
        grads = []
        if need_grads:
            sums = ([("gamma", grad_a * z)] if self.scale else []) + ([("beta", grad_a)] if self.center else [])
            for k, (_, term) in enumerate(sums):
                if grads_out and len(axes) == 1:  # the flat gradient buffer (core.flat)
                    grads.append(ops.sum_into(grads_out[k], term, axes[0]))
                elif grads_out:
                    ops.assign(grads_out[k], ops.sum(term, axis=axes))
                    grads.append(grads_out[k])
                else:
                    grads.append(ops.sum(term, axis=axes))
        grad_x = None
        if need_grad_x:
            inv_std = record["inv_std"] if record and "inv_std" in record else self._inference_inv_std(ops, ndim)
            if record and record.get("batch_statistics"):
                n = 1
                for d in axes:
                    n *= int(x.shape[d])
                mean_delta = ops.sum(delta, axis=axes, keepdims=True) * ops.scalar(1.0 / n)
                mean_delta_xhat = ops.sum(delta * z, axis=axes, keepdims=True) * ops.scalar(1.0 / n)
                grad_x = (delta - mean_delta - z * mean_delta_xhat) * inv_std
            else:
                grad_x = delta * inv_std
        return delta, grads, grad_x

    def _inference_inv_std(self, ops, ndim: int):
        variance = self._param("moving_variance").reshape(self._shape(ndim))
        return 1.0 / ops.sqrt(variance + ops.scalar(self.epsilon))

    def update_state(self, ops, record):
        """Move the moving statistics toward the batch's (only after a forward pass in batch mode)."""
        if not record or not record.get("batch_statistics"):
            return
        keep, take = ops.scalar(self.momentum), ops.scalar(1.0 - self.momentum)
        for name, batch_value in (("moving_mean", record["mean"]), ("moving_variance", record["variance"])):
            moving = self._param(name)
            ops.assign(moving, moving * keep + batch_value.reshape(moving.shape) * take)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": regularizers_module.serialize(self.regularizers.get("beta")),
                "gamma_regularizer": regularizers_module.serialize(self.regularizers.get("gamma")),
                "beta_constraint": None, "gamma_constraint": None, "synchronized": self.synchronized,
                "renorm": self.renorm, "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("beta_initializer", "gamma_initializer", "moving_mean_initializer",
                    "moving_variance_initializer"):
            if isinstance(config.get(key), dict):
                config[key] = initializers.deserialize(config[key])
        return cls(**config)
