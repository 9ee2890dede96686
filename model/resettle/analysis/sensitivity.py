"""Global sensitivity analysis of parameter sweeps: Sobol' (Saltelli) and Morris designs.

The sweep engine evaluates the model at points of the unit hypercube ``[0, 1)^d`` scaled to the
parameter ranges and stores one output per point (already averaged over replications). This
module provides the unit-cube layout of the designs and the analyses of the outputs:

- Sobol' indices (variance-based; Saltelli et al. 2010): :func:`sobol_base` draws the base
  matrices A and B, :func:`saltelli_layout` stacks the points to evaluate as
  ``[A; B; AB_1; ...; AB_d]`` (``AB_i`` is A with column ``i`` taken from B, the convention of
  ``scipy.stats.sobol_indices``), and :func:`sobol_from_outputs` turns the outputs, in that
  order, into first- and total-order indices with bootstrap confidence intervals.
- Elementary effects (Morris 1991; Campolongo, Cariboni & Saltelli 2007):
  :func:`morris_design` draws one-at-a-time trajectories on a level grid and
  :func:`morris_indices` summarises their elementary effects as mu, mu* and sigma.
- The Ishigami function and its analytic indices (:func:`ishigami`, :func:`ishigami_indices`),
  the standard test case for the Sobol' estimators.

Every random draw comes from the ``numpy.random.Generator`` or the integer seed passed in, never
from a global random state.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import DegenerateDataWarning, bootstrap, qmc, sobol_indices

SOBOL_COLUMNS = ["parameter", "first", "first_low", "first_high", "total", "total_low",
                 "total_high", "note"]
MORRIS_COLUMNS = ["parameter", "mu", "mu_star", "sigma"]
CONSTANT_NOTE = "constant output: zero variance, indices undefined"
N_RESAMPLES = 999
BOOTSTRAP_BATCH = 64  # resamples per vectorised call: bounds memory at batch·n·(d+2) floats


def _log2_exact(n: int) -> int:
    """``m`` with ``n == 2**m``; ValueError unless ``n`` is a positive power of two."""
    if int(n) != n or n < 1 or int(n) & (int(n) - 1):
        raise ValueError(f"n must be a power of two (Sobol' balance properties), got {n}")
    return int(n).bit_length() - 1


def sobol_base(n: int, d: int, seed: int | np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Base matrices A and B (``n × d`` each, in ``[0, 1)^d``) for a Saltelli design.

    Both come from one scrambled Sobol' sequence of dimension ``2d`` (A: its first ``d``
    columns, B: the last ``d``), which keeps them independent while each stays balanced
    (Saltelli et al. 2010, sec. 5). ``n`` must be a power of two.
    """
    m = _log2_exact(n)
    if d < 1:
        raise ValueError(f"d must be at least 1, got {d}")
    points = qmc.Sobol(2 * d, scramble=True, rng=seed).random_base2(m)
    return points[:, :d].copy(), points[:, d:].copy()


def saltelli_layout(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points to evaluate, ``[A; B; AB_1; ...; AB_d]``, and each point's block label.

    ``AB_i`` is A with column ``i`` replaced by B's column ``i``. Labels: 0 = A, 1 = B,
    ``2 + i`` = ``AB_i``. There are ``n(d + 2)`` points in all.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 2 or a.shape != b.shape:
        raise ValueError(f"A and B must be 2-D of equal shape, got {a.shape} and {b.shape}")
    n, d = a.shape
    ab = np.repeat(a[np.newaxis], d, axis=0)  # page i is a copy of A ...
    cols = np.arange(d)
    ab[cols, :, cols] = b.T  # ... with its column i taken from B
    points = np.concatenate([a, b, ab.reshape(d * n, d)])
    return points, np.repeat(np.arange(d + 2), n)


def _split_outputs(y: np.ndarray, n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outputs in :func:`saltelli_layout` order split into f(A) (n,), f(B) (n,), f(AB) (d, n)."""
    y = np.asarray(y, dtype=float)
    if y.shape != (n * (d + 2),):
        raise ValueError(f"expected {n * (d + 2)} outputs (n(d+2)) as a 1-D array, got {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("outputs must be finite")
    return y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)


def _saltelli_2010(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> np.ndarray:
    """First- and total-order estimators of Saltelli et al. (2010), as in scipy; shape (2, d, ...).

    ``f_a``, ``f_b`` have shape ``(..., n)`` and ``f_ab`` ``(d, ..., n)``; outputs are centred
    beforehand. The variance uses A and B only (AB is not independent of A).
    """
    var = np.var(np.concatenate([f_a, f_b], axis=-1), axis=-1)
    first = np.mean(f_b * (f_ab - f_a), axis=-1) / var  # Table 2 (b)
    total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / var  # Table 2 (f)
    return np.stack([first, total])


def _bootstrap_ci(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray, rng: np.random.Generator,
                  confidence: float, n_resamples: int) -> tuple[np.ndarray, np.ndarray]:
    """BCa bootstrap interval (low, high), each (2, d), resampling rows of the design.

    This is what ``SobolResult.bootstrap`` does, but called here so that the resampling draws
    from ``rng`` (``SobolResult.bootstrap`` takes no generator and would use numpy's global
    state). An index whose resamples are all equal (an ignored parameter) gets a collapsed
    interval at that value instead of NaN.
    """
    mean = np.mean(np.concatenate([f_a, f_b]))  # centre once, as scipy does
    fa, fb, fab = f_a - mean, f_b - mean, f_ab - mean

    def statistic(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        idx = np.moveaxis(idx, axis, -1)
        return _saltelli_2010(fa[idx], fb[idx], fab[:, idx])

    # A flat bootstrap distribution (ignored parameter) makes BCa divide 0/0: handled below.
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", DegenerateDataWarning)
        res = bootstrap((np.arange(len(fa)),), statistic, vectorized=True, method="BCa",
                        batch=BOOTSTRAP_BATCH, confidence_level=confidence,
                        n_resamples=n_resamples, rng=rng)
    dist = res.bootstrap_distribution
    flat = np.ptp(dist, axis=-1) == 0
    low = np.where(flat, dist[..., 0], res.confidence_interval.low)
    high = np.where(flat, dist[..., 0], res.confidence_interval.high)
    return low, high


def _constant_frame(names: list[str]) -> pd.DataFrame:
    """The Sobol' table for a constant output: NaN indices and an explanatory note."""
    table = pd.DataFrame(np.nan, index=range(len(names)), columns=SOBOL_COLUMNS[1:-1])
    table.insert(0, "parameter", list(names))
    table["note"] = CONSTANT_NOTE
    return table


def sobol_from_outputs(y: np.ndarray, n: int, d: int, names: list[str],
                       rng: np.random.Generator, confidence: float = 0.95,
                       n_resamples: int = N_RESAMPLES) -> pd.DataFrame:
    """First- and total-order Sobol' indices with BCa bootstrap confidence intervals.

    ``y`` holds one output per point of :func:`saltelli_layout`, in that order. The point
    estimates come from ``scipy.stats.sobol_indices`` (Saltelli 2010 estimators); the
    intervals resample the ``n`` rows of the design jointly across blocks, drawing from
    ``rng``. Returns columns parameter, first, first_low, first_high, total, total_low,
    total_high and note (empty unless the output is constant, when the indices are NaN).
    """
    if len(names) != d:
        raise ValueError(f"{len(names)} names for {d} parameters")
    _log2_exact(n)
    f_a, f_b, f_ab = _split_outputs(y, n, d)
    if np.var(np.concatenate([f_a, f_b])) == 0:
        return _constant_frame(names)
    res = sobol_indices(func={"f_A": f_a[np.newaxis], "f_B": f_b[np.newaxis],
                              "f_AB": f_ab[:, np.newaxis, :]}, n=n)
    low, high = _bootstrap_ci(f_a, f_b, f_ab, rng, confidence, n_resamples)
    return pd.DataFrame({
        "parameter": list(names),
        "first": np.reshape(res.first_order, d), "first_low": low[0], "first_high": high[0],
        "total": np.reshape(res.total_order, d), "total_low": low[1], "total_high": high[1],
        "note": "",
    })


def _check_levels(levels: int) -> None:
    """ValueError unless ``levels`` is even and at least 2 (so Δ lies on the level grid)."""
    if levels < 2 or levels % 2:
        raise ValueError(f"levels must be even and >= 2, got {levels}")


def morris_design(r: int, d: int, levels: int, rng: np.random.Generator) -> np.ndarray:
    """``r`` Morris trajectories of ``d + 1`` points each on the grid {0, 1/(p-1), ..., 1}.

    Each trajectory starts at a random grid point and moves every coordinate once, in a random
    order and a random direction, by Δ = p / (2(p - 1)) (``p = levels``, even), so every point
    stays on the grid (Morris 1991). Returns shape ``(r * (d + 1), d)``, trajectory by
    trajectory.
    """
    _check_levels(levels)
    half = levels // 2  # Δ in grid steps
    base = rng.integers(0, half, size=(r, d))  # grid index of the lower of each pair x, x + Δ
    sign = 2 * rng.integers(0, 2, size=(r, d)) - 1
    order = rng.permuted(np.tile(np.arange(d), (r, 1)), axis=1)
    start = base + half * (sign < 0)  # going down starts at the upper value
    moves = np.zeros((r, d, d), dtype=int)
    rows = np.arange(r)[:, np.newaxis]
    moves[rows, np.arange(d), order] = half * np.take_along_axis(sign, order, axis=1)
    steps = np.concatenate([np.zeros((r, 1, d), dtype=int), np.cumsum(moves, axis=1)], axis=1)
    return ((start[:, np.newaxis, :] + steps) / (levels - 1)).reshape(r * (d + 1), d)


def _elementary_effects(x: np.ndarray, y: np.ndarray, r: int, d: int) -> np.ndarray:
    """Elementary effects, shape ``(r, d)``: Δy / Δx_i for the step of each trajectory moving i."""
    x = np.asarray(x, dtype=float).reshape(r, d + 1, d)
    y = np.asarray(y, dtype=float).reshape(r, d + 1)
    dx = np.diff(x, axis=1)  # (r, d steps, d coordinates)
    if np.any(np.count_nonzero(dx, axis=2) != 1):
        raise ValueError("each trajectory step must change exactly one coordinate")
    moved = np.argmax(np.abs(dx), axis=2)  # (r, steps)
    if np.any(np.sort(moved, axis=1) != np.arange(d)):
        raise ValueError("each trajectory must move every coordinate exactly once")
    step_dx = np.take_along_axis(dx, moved[..., np.newaxis], axis=2)[..., 0]
    effects = np.empty((r, d))
    np.put_along_axis(effects, moved, np.diff(y, axis=1) / step_dx, axis=1)
    return effects


def morris_indices(x: np.ndarray, y: np.ndarray, r: int, d: int,
                   names: list[str]) -> pd.DataFrame:
    """Morris screening measures from the outputs of :func:`morris_design` points.

    ``x`` is the design in the unit cube (so effects are comparable across parameters) and
    ``y`` its outputs. Columns: parameter, mu (mean elementary effect), mu_star (mean absolute
    effect, Campolongo et al. 2007) and sigma (sample standard deviation, ddof = 1; NaN when
    ``r == 1``).
    """
    if len(names) != d:
        raise ValueError(f"{len(names)} names for {d} parameters")
    effects = _elementary_effects(x, y, r, d)
    sigma = effects.std(axis=0, ddof=1) if r > 1 else np.full(d, np.nan)
    return pd.DataFrame({"parameter": list(names), "mu": effects.mean(axis=0),
                         "mu_star": np.abs(effects).mean(axis=0), "sigma": sigma})


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami function sin x1 + a sin² x2 + b x3⁴ sin x1 of rows ``x`` in [-π, π]^3."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != 3:
        raise ValueError(f"x must have shape (N, 3), got {x.shape}")
    s1 = np.sin(x[:, 0])
    return s1 + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * s1


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> dict[str, np.ndarray | float]:
    """Analytic Sobol' indices of :func:`ishigami` for inputs uniform on [-π, π]^3.

    Returns ``{"first": S (3,), "total": ST (3,), "variance": V}`` from the partial variances
    V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = 8b²π⁸/225 (Sobol' & Levitan 1999).
    """
    pi4 = np.pi ** 4
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = 8 * b ** 2 * pi4 ** 2 / 225
    var = v1 + v2 + v13
    return {"first": np.array([v1, v2, 0.0]) / var,
            "total": np.array([v1 + v13, v2, v13]) / var, "variance": var}
