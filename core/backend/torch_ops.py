"""torch implementation of :class:`core.backend.ops.Ops`.

This is the only module of :mod:`core` that imports torch, and only when a
torch backend is actually requested. The backward pass stays explicit (no
autograd): every δ, ∂L/∂W and ΔW is computed by the same formulas as NumPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.backend.ops import Ops


class TorchOps(Ops):
    """torch tensors on one device.

    Parameters
    ----------
    torch : module
        The imported torch module (passed in so that tests can substitute a fake).
    device : str
        A concrete device string (``"cpu"``, ``"cuda:0"``, ``"mps"``).
    dtype : str
        ``"float32"`` or ``"float64"``.
    """

    name = "torch"

    def __init__(self, torch: Any, device: str = "cpu", dtype: str = "float32") -> None:
        super().__init__(dtype)
        self.torch = torch
        self.device = device
        self.t_dtype = getattr(torch, dtype)
        self._device = torch.device(device)
        self._scratch: dict = {}

    # conversion -------------------------------------------------------
    def asarray(self, x: Any):
        t = self.torch
        if isinstance(x, t.Tensor):
            return x.to(device=self._device, dtype=self.t_dtype)
        return t.as_tensor(np.asarray(x), dtype=self.t_dtype, device=self._device)

    def as_index(self, x: Any):
        t = self.torch
        if isinstance(x, t.Tensor):
            return x.to(device=self._device, dtype=t.int64)
        return t.as_tensor(np.asarray(x, dtype=np.int64), device=self._device)

    def to_numpy(self, x: Any) -> np.ndarray:
        if isinstance(x, self.torch.Tensor):
            return x.detach().cpu().numpy()
        return np.asarray(x)

    def copy_numpy(self, x: Any) -> np.ndarray:
        return np.array(self.to_numpy(x), copy=True)

    def item(self, x: Any) -> float:
        return float(x.item()) if isinstance(x, self.torch.Tensor) else float(x)

    def zeros(self, shape):
        return self.torch.zeros(shape, dtype=self.t_dtype, device=self._device)

    def zeros_like(self, x):
        return self.torch.zeros_like(x)

    def full_like(self, x, value: float):
        return self.torch.full_like(x, value)

    def copy(self, x):
        return x.clone()

    def as_float(self, x):
        return x.to(self.t_dtype)

    # elementwise ------------------------------------------------------
    def exp(self, x):
        return self.torch.exp(x)

    def log(self, x):
        return self.torch.log(x)

    def log1p(self, x):
        return self.torch.log1p(x)

    def tanh(self, x):
        return self.torch.tanh(x)

    def sqrt(self, x):
        return self.torch.sqrt(x)

    def abs(self, x):
        return self.torch.abs(x)

    def sign(self, x):
        return self.torch.sign(x)

    def square(self, x):
        return self.torch.square(x)

    def maximum(self, x, y):
        return self.torch.maximum(x, self._like(y, x)) if not _is_tensor(self, y) else self.torch.maximum(x, y)

    def minimum(self, x, y):
        return self.torch.minimum(x, self._like(y, x)) if not _is_tensor(self, y) else self.torch.minimum(x, y)

    def where(self, cond, x, y):
        if not _is_tensor(self, x):
            x = self._like(x, y)
        if not _is_tensor(self, y):
            y = self._like(y, x)
        return self.torch.where(cond, x, y)

    def clip(self, x, lo: float, hi: float):
        return self.torch.clamp(x, lo, hi)

    def sigmoid(self, x):
        return self.torch.sigmoid(x)

    def erf(self, x):
        return self.torch.erf(x)

    # reductions -------------------------------------------------------
    def sum(self, x, axis: int | None = None, keepdims: bool = False):
        if axis is None:
            return self.torch.sum(x)
        return self.torch.sum(x, dim=axis, keepdim=keepdims)

    def mean(self, x, axis: int | None = None, keepdims: bool = False):
        if axis is None:
            return self.torch.mean(x)
        return self.torch.mean(x, dim=axis, keepdim=keepdims)

    def max(self, x, axis: int | None = None, keepdims: bool = False):
        if axis is None:
            return self.torch.max(x)
        return self.torch.amax(x, dim=axis, keepdim=keepdims)

    def argmax(self, x, axis: int = -1):
        return self.torch.argmax(x, dim=axis)

    def count_nonfinite(self, x) -> int:
        return int((~self.torch.isfinite(x)).sum().item())

    def finite_probe(self, arrays) -> float:
        arrays = [a.reshape(-1) for a in arrays]
        if not arrays:
            return 0.0
        t = self.torch
        return float(t.stack([t.dot(a, a) for a in arrays]).sum().item())  # one host sync for the batch

    # indexing ---------------------------------------------------------
    def take_rows(self, x, index):
        return x.index_select(0, index)

    def one_hot(self, index, depth: int):
        out = self.torch.zeros((index.shape[0], depth), dtype=self.t_dtype, device=self._device)
        out.scatter_(1, index[:, None], 1.0)
        return out

    def arange(self, n: int):
        return self.torch.arange(n, device=self._device)

    # in place (see NumpyOps: same operations, reused buffers) -------------
    def scratch(self, key, like):
        buf = self._scratch.get(key)
        if buf is None or buf.shape != like.shape or buf.dtype != like.dtype:
            buf = self._scratch[key] = self.torch.empty_like(like)
        return buf

    def sub_into(self, out, a, b):
        return self.torch.sub(a, b, out=out)

    def mul_into(self, out, a, b):
        return self.torch.mul(a, b, out=out)

    def square_into(self, out, a):
        return self.torch.square(a, out=out)

    def sqrt_into(self, out, a):
        return self.torch.sqrt(a, out=out)

    def add_(self, x, y) -> None:
        x.add_(y)

    def mul_(self, x, y) -> None:
        x.mul_(y)

    def div_(self, x, y) -> None:
        x.div_(y)

    def assign(self, variable, value) -> None:
        variable.copy_(value)

    def flat_zeros(self, size: int):
        return self.torch.zeros(size, dtype=self.t_dtype, device=self._device)

    def flat_view(self, flat, start: int, shape):
        n = 1
        for d in shape:
            n *= int(d)
        return flat[start:start + n].view(tuple(shape))

    def matmul_into(self, out, a, b):
        return self.torch.matmul(a, b, out=out)

    def sum_into(self, out, x, axis: int):
        return self.torch.sum(x, dim=axis, out=out)

    def assign_add(self, variable, value) -> None:
        variable.add_(value)

    def assign_sub(self, variable, value) -> None:
        variable.sub_(value)

    # helpers ----------------------------------------------------------
    def _like(self, value, ref):
        return self.torch.as_tensor(value, dtype=ref.dtype, device=ref.device)


def _is_tensor(ops: TorchOps, x: Any) -> bool:
    return isinstance(x, ops.torch.Tensor)
