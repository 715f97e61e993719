"""The baselines every speed figure is compared with, measured in the same run."""

from __future__ import annotations

from benchmarks import common  # noqa: F401  (sets one BLAS thread before NumPy loads)

import numpy as np  # noqa: E402


def hand_numpy_epoch(x, y, batch, w1, b1, w2, b2):
    """The loop a student would write: forward, softmax-CCE, backward, Adam."""
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1_, b2_, eps = 0.001, 0.9, 0.999, 1e-7
    t = 0
    for s in range(0, len(x), batch):
        xb, yb = x[s:s + batch], y[s:s + batch]
        n = len(xb)
        z1 = xb @ params[0] + params[1]
        a1 = np.maximum(z1, 0)
        z2 = a1 @ params[2] + params[3]
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        d2 = p.copy()
        d2[np.arange(n), yb] -= 1
        d2 /= n
        g = [None, None, a1.T @ d2, d2.sum(0)]
        d1 = (d2 @ params[2].T) * (z1 > 0)
        g[0], g[1] = xb.T @ d1, d1.sum(0)
        t += 1
        alpha = float(lr * np.sqrt(1 - b2_**t) / (1 - b1_**t))  # a Python float keeps float32
        for i in range(4):
            m[i] += (g[i] - m[i]) * (1 - b1_)
            v[i] += (g[i] * g[i] - v[i]) * (1 - b2_)
            params[i] -= alpha * m[i] / (np.sqrt(v[i]) + eps)


def torch_autograd_epoch(torch, x, y, batch, model, opt):
    loss_fn = torch.nn.CrossEntropyLoss()
    for s in range(0, len(x), batch):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[s:s + batch]), y[s:s + batch])
        loss.backward()
        opt.step()
