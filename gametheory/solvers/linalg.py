"""Small dense linear systems solved in batches with numpy.

LAPACK solves one matrix per call, so a batch of millions of 2x2 to 6x6 systems spends its time
in call overhead. Gauss-Jordan elimination with partial pivoting, vectorised across the batch and
looping only over the (few) columns, is much faster for these sizes and reports singular systems
instead of raising.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["SINGULAR", "solve_small"]

#: A pivot smaller than this (after partial pivoting, on matrices with entries of order one) marks
#: the system as singular.
SINGULAR = 1e-11


def solve_small(
    M: NDArray[np.float64], rhs: NDArray[np.float64] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Solve ``M[k] x[k] = rhs[k]`` for a batch of small square systems.

    Parameters
    ----------
    M
        ``(K, t, t)`` matrices, entries of order one (the callers normalise payoffs to [1, 2]).
    rhs
        ``(K, t)`` right-hand sides; all ones if omitted.

    Returns
    -------
    x : numpy.ndarray
        ``(K, t)`` solutions (meaningless where ``ok`` is False).
    ok : numpy.ndarray
        ``(K,)`` True where every pivot exceeded :data:`SINGULAR` in absolute value.

    Notes
    -----
    Cost ``O(K t^3)`` arithmetic in ``t`` vectorised steps.
    """
    K, t, _ = M.shape
    if rhs is None and t <= 3:
        return _cramer_ones(M)
    aug = np.empty((K, t, t + 1))
    aug[:, :, :t] = M
    aug[:, :, t] = 1.0 if rhs is None else rhs
    ok = np.ones(K, dtype=bool)
    batch = np.arange(K)
    for col in range(t):
        pivot_row = col + np.argmax(np.abs(aug[:, col:, col]), axis=1)
        swap = pivot_row != col
        if swap.any():
            rows = batch[swap]
            top = aug[rows, col].copy()
            aug[rows, col] = aug[rows, pivot_row[swap]]
            aug[rows, pivot_row[swap]] = top
        pivot = aug[:, col, col]
        ok &= np.abs(pivot) > SINGULAR
        aug[:, col] /= np.where(ok, pivot, 1.0)[:, None]
        factors = aug[:, :, col].copy()
        factors[:, col] = 0.0
        aug -= factors[:, :, None] * aug[:, col, None, :]
    return aug[:, :, t], ok


def _cramer_ones(M: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``M x = 1`` for ``t <= 3`` by Cramer's rule: closed forms, no pivoting loop."""
    t = M.shape[1]
    if t == 1:
        det = M[:, 0, 0]
        ok = np.abs(det) > SINGULAR
        return (1.0 / np.where(ok, det, 1.0))[:, None], ok
    if t == 2:
        a, b, c, d = M[:, 0, 0], M[:, 0, 1], M[:, 1, 0], M[:, 1, 1]
        det = a * d - b * c
        ok = np.abs(det) > SINGULAR
        inv = 1.0 / np.where(ok, det, 1.0)
        return np.column_stack([(d - b) * inv, (a - c) * inv]), ok
    # t == 3: x_i = det(M with column i replaced by ones) / det(M).
    c0, c1, c2 = M[:, :, 0], M[:, :, 1], M[:, :, 2]
    cross12 = np.cross(c1, c2)
    det = np.einsum("ki,ki->k", c0, cross12)
    ok = np.abs(det) > SINGULAR
    inv = 1.0 / np.where(ok, det, 1.0)
    ones = np.ones_like(c0)
    x0 = np.einsum("ki,ki->k", ones, cross12)
    x1 = np.einsum("ki,ki->k", c0, np.cross(ones, c2))
    x2 = np.einsum("ki,ki->k", c0, np.cross(c1, ones))
    return np.column_stack([x0, x1, x2]) * inv[:, None], ok
