"""Which assumptions flip the ranking of policies: a given-data sensitivity analysis of a
decision over the worlds already run (no new runs).

The worlds of a decide study are a sample of the uncertainties' plausible ranges *filtered by
patterns*, not a Saltelli or Morris design, so the indices are estimated from the given data
(one row per world): for parameter X_i and output Y, the first-order index
S_i = Var(E[Y | X_i]) / Var(Y) by the **equal-count binning** estimator (Plischke, Borgonovo &
Smith 2013, EJOR 226:536-550): sort the worlds by X_i, cut them into M bins of (nearly) equal
count, and take the share of Y's sum of squares that lies between the bins' means (the
correlation ratio). Its positive bias — a parameter that does nothing gets (M − 1)/(n − 1) on
average, exactly so under random ordering — is removed by Kelley's (1935) correction
ε² = (η²(n − 1) − (M − 1)) / (n − M), which can fall below 0 by chance.

Outputs, per world w, for the recommended policy p (:func:`ranking_margin`):

- the **ranking margin**: p's combined score minus the best other policy's (negative: another
  policy does better in w, the ranking flips there);
- p's **combined regret** (:func:`resettle.analysis.regret.regret`), max(0, −margin).

Beside each real parameter the table has a **dummy**: a column of seeded uniforms that affects
nothing, estimated in the same way, so a reader sees what an index of noise looks like. The
**noise floor** is the (1 − 0.05/k) quantile of the index over random orderings of the worlds
(a permutation null, which is the same for every parameter because it depends only on the
bins' sizes; Bonferroni over the k parameters, so that where no parameter matters, the
chance that some parameter is called influential is at most 5%: a family-wise rate).
Intervals come from bootstrap resamples of the worlds (:func:`bootstrap_interval`: the
estimate plus the resamples' quantiles about their median, since a resample's repeated worlds
raise every index, clipped to the range the index can take): how much an index would move
with another sample of as many plausible worlds. They are approximate, and they do not
separate the replications' noise in each world's margin, which is part of Y and lowers every
index.

Two biases the report states: equal-count bins cut through runs of equal values in the
worlds' order, so a whole-number parameter's index is understated; and with few bins (2 at 8
worlds, 3 up to 15) the index is biased down (Y = X exactly gives about 0.7 at 8 worlds).

The worlds are filtered, so the inputs may be correlated: an index then also carries what its
parameter shares with the parameters correlated with it, the indices are no variance
decomposition and need not sum to 1 or less. Every random draw comes from the generator passed
in.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from resettle.analysis import regret as rg
from resettle.analysis.discovery import is_numeric

MIN_WORLDS = 8  # assumption: below it the indices are not estimated (2 bins of 4 worlds at 8)
MIN_BINS = 2
FAMILY_ALPHA = 0.05  # the chance, where nothing matters, that any parameter is called so
CONFIDENCE = 0.95
N_RESAMPLES = 999  # bootstrap resamples of the worlds
BATCH = 100  # resamples per vectorised step: bounds memory at BATCH·n·(k + 1) numbers
N_PERMUTATIONS = 9999  # orderings for the floor (assumption: with k = 100 parameters its
#                        1 - 0.05/k quantile still rests on the 5 largest of them)
DUMMY = "dummy"  # the noise column's name in the table
OUTPUTS = ("margin", "regret")
COLUMNS = ["parameter", "dummy", *(f"{o}_{c}" for o in OUTPUTS
                                   for c in ("index", "low", "high", "floor", "above")),
           "rho", "flips_low", "flips_high", "note"]
NOTES = {"few": "too few worlds: indices not estimated",
         "constant": "constant {output} over the worlds: its indices are undefined",
         "fixed": "parameter constant over the worlds", "category": "not numeric: no order"}


# ---- the outputs -------------------------------------------------------------------------
def ranking_margin(scores: pd.Series, policy: str) -> pd.Series:
    """Per world: ``policy``'s score minus the best other policy's (``scores`` indexed by
    (policy, world), at least two policies); negative where another policy does better."""
    wide = scores.unstack("policy")
    return (wide[policy] - wide.drop(columns=policy).max(axis=1)).rename("margin")


def flip_share(margin: pd.Series) -> float:
    """The share of worlds where the ranking flips (margin below 0)."""
    return float((margin < 0).mean())


# ---- the estimator -----------------------------------------------------------------------
def bin_count(n: int) -> int:
    """M = ⌊√n⌋ equal-count bins, at least 2 (assumption: the square-root rule, which lets
    both the number of bins and the worlds per bin grow with n)."""
    return max(MIN_BINS, math.isqrt(n))


def binned_index(y_sorted: np.ndarray, bins: int, corrected: bool = True) -> np.ndarray:
    """The correlation ratio of the last axis of ``y_sorted`` (Y in the order of X) cut into
    ``bins`` equal-count bins, Kelley-corrected unless ``corrected`` is false; NaN where Y is
    constant."""
    n = y_sorted.shape[-1]
    sizes = np.full(bins, n // bins) + (np.arange(bins) < n % bins)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    centred = y_sorted - y_sorted.mean(axis=-1, keepdims=True)
    between = (np.add.reduceat(centred, starts, axis=-1) ** 2 / sizes).sum(axis=-1)
    total = (centred ** 2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        eta = np.where(total > 0, between / total, np.nan)
    return (eta * (n - 1) - (bins - 1)) / (n - bins) if corrected else eta


def first_order(x: np.ndarray, y: np.ndarray, bins: int | None = None) -> np.ndarray:
    """Given-data first-order index of ``y`` (n,) on each column of ``x`` (..., n, k): shape
    (..., k). Ties in a column keep the rows' order."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    order = np.argsort(np.swapaxes(x, -1, -2), axis=-1, kind="stable")  # (..., k, n)
    y_sorted = np.take_along_axis(np.broadcast_to(y[..., np.newaxis, :], order.shape), order,
                                  axis=-1)
    return binned_index(y_sorted, bins or bin_count(x.shape[-2]))


def bootstrap_interval(x: np.ndarray, y: np.ndarray, index: np.ndarray, bins: int,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A CONFIDENCE interval of each column's ``index`` from N_RESAMPLES resamples of the rows
    with replacement: the estimate plus the resamples' quantiles about their median. A
    resample repeats rows, which raises every index (fewer distinct worlds, the same bins), so
    the resamples give the spread and the estimate the centre; a resample with constant ``y``
    is left out. The bounds are clipped to the range the index can take (:func:`attainable`)."""
    n = len(y)
    draws = rng.integers(0, n, (N_RESAMPLES, n))
    spread = np.concatenate([first_order(x[part], y[part], bins)
                             for part in np.array_split(draws, -(-N_RESAMPLES // BATCH))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: constant resamples
        spread = spread - np.nanmedian(spread, axis=0)
        tails = np.nanquantile(spread, [(1 - CONFIDENCE) / 2, (1 + CONFIDENCE) / 2], axis=0)
    low, high = attainable(n, bins)
    return np.clip(index + tails[0], low, high), np.clip(index + tails[1], low, high)


def attainable(n: int, bins: int) -> tuple[float, float]:
    """The range the Kelley-corrected index can take with ``n`` worlds in ``bins`` bins:
    −(M − 1)/(n − M) (no variance between the bins) to 1 (none within them)."""
    return -(bins - 1) / (n - bins), 1.0


def noise_floor(y: np.ndarray, bins: int, k: int, rng: np.random.Generator) -> float:
    """The (1 − FAMILY_ALPHA/k) quantile of the index over random orderings of ``y``."""
    shuffled = rng.permuted(np.tile(np.asarray(y, dtype=float), (N_PERMUTATIONS, 1)), axis=1)
    return float(np.quantile(binned_index(shuffled, bins), 1 - FAMILY_ALPHA / k))


def index_columns(x: np.ndarray, y: np.ndarray, k: int, rng: np.random.Generator,
                  output: str) -> dict[str, np.ndarray]:
    """``output``'s index of every column of ``x`` (n, columns), its bootstrap interval over the
    rows, the noise floor for ``k`` parameters and whether each index is above it (NaN, and
    not above, with fewer than MIN_WORLDS rows or a constant ``y``)."""
    defined = np.isfinite(y)  # a world whose combined score is missing takes no part
    x, y = x[defined], y[defined]
    n, columns = x.shape
    nan = np.full(columns, np.nan)
    bins = bin_count(n)
    index = first_order(x, y, bins) if n >= MIN_WORLDS else nan
    if np.isnan(index).all():
        return {f"{output}_index": nan, f"{output}_low": nan, f"{output}_high": nan,
                f"{output}_floor": nan, f"{output}_above": np.zeros(columns, bool)}
    low, high = bootstrap_interval(x, y, index, bins, rng)
    floor = noise_floor(y, bins, k, rng)
    return {f"{output}_index": index, f"{output}_low": low, f"{output}_high": high,
            f"{output}_floor": np.full(columns, floor), f"{output}_above": index > floor}


# ---- where the flips happen --------------------------------------------------------------
def spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rho of ``y`` with ``x`` (NaN where either is constant)."""
    if x.nunique() < 2 or y.nunique() < 2:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        return float(stats.spearmanr(x, y).statistic)


def flips_by_half(x: pd.Series, margin: pd.Series) -> tuple[float, float]:
    """The flip share among the worlds in the lower half of ``x``'s sampled values (at most
    its median; below it where more than half the worlds share the largest value) and in the
    upper half (the rest); NaN for an empty half (``x`` constant)."""
    lower = x <= x.median()
    if lower.all():
        lower = x < x.median()
    return (flip_share(margin[lower]) if lower.any() else math.nan,
            flip_share(margin[~lower]) if (~lower).any() else math.nan)


# ---- the table ---------------------------------------------------------------------------
def with_dummy(x: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The worlds' values and the dummy: a seeded uniform column that affects nothing."""
    return x.assign(**{DUMMY: rng.random(len(x))})


def orderable(data: pd.DataFrame) -> list[str]:
    """The columns an index can be estimated on: numeric and not constant over the worlds."""
    return [c for c in data if is_numeric(data[c]) and data[c].nunique() > 1]


def sensitivity_table(x: pd.DataFrame, scores: pd.Series, policy: str,
                      rng: np.random.Generator) -> pd.DataFrame:
    """sensitivity.csv: per sampled parameter of ``x`` (worlds × parameters) and the dummy,
    the first-order indices of ``policy``'s ranking margin and combined regret (``scores``:
    combined scores by (policy, world)), their intervals, the noise floors, Spearman's rho of
    the margin with the parameter and the flip shares in its lower and upper half; ordered by
    the margin's index, largest first (module docstring)."""
    outputs = {"margin": ranking_margin(scores, policy).reindex(x.index),
               "regret": rg.regret(scores.to_frame("score"))["score"].xs(
                   policy, level="policy").reindex(x.index)}
    data = with_dummy(x, rng)
    ordered = orderable(data)
    table = pd.DataFrame({"parameter": data.columns, "dummy": data.columns == DUMMY},
                         index=data.columns)
    k = max(1, sum(c != DUMMY for c in ordered))
    for output, y in outputs.items():
        found = index_columns(data[ordered].to_numpy(float), y.to_numpy(float), k, rng, output)
        table = table.join(pd.DataFrame(found, index=ordered))
        table[f"{output}_above"] = table[f"{output}_above"].eq(True)
    table = table.join(direction_frame(data, ordered, outputs["margin"]))
    table["note"] = [row_note(data[c], c in ordered, outputs) for c in data]
    return table[COLUMNS].sort_values("margin_index", ascending=False, kind="stable",
                                      na_position="last").reset_index(drop=True)


def direction_frame(data: pd.DataFrame, ordered: list[str], margin: pd.Series) -> pd.DataFrame:
    """Per orderable column: Spearman's rho of the margin with it, the flip shares in its lower
    and upper half."""
    rows = {c: (spearman(data[c], margin), *flips_by_half(data[c], margin)) for c in ordered}
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["rho", "flips_low", "flips_high"])


def row_note(values: pd.Series, ordered: bool, outputs: dict[str, pd.Series]) -> str:
    """Why a row's indices are missing (empty when they are not)."""
    if not is_numeric(values):
        return NOTES["category"]
    if not ordered:
        return NOTES["fixed"]
    if min(len(values), *(int(y.notna().sum()) for y in outputs.values())) < MIN_WORLDS:
        return NOTES["few"]
    return "; ".join(NOTES["constant"].format(output=o) for o, y in outputs.items()
                     if y.nunique() < 2)
