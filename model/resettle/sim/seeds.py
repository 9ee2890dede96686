"""Seeds: one root seed, spawned per replication with numpy's SeedSequence (Python ints only);
within a run, one counter-based random stream per process, positioned by the month.

A process's stream is a Philox generator (Salmon et al. 2011) keyed by
``SeedSequence(seed, spawn_key=(crc32(name),))``; at the start of month m its counter is set to
(0, 0, m, 0), and the month's draws run on from there. So the draws of process p in month m
are a function of the run's seed, p and m only:

* changing what one process draws (a lever that makes it draw more or fewer numbers) leaves
  every other process's draws unchanged, so two scenarios run with one seed stay paired draw
  by draw (common random numbers), and a process added later changes no existing stream;
* a process that drew more numbers in one month than in the other scenario is back in step
  the next month (its later months do not shift), which keeps the pairing tight over a run;
* a replication's draws do not depend on anything else that runs beside it (another
  replication, a batch, a worker).

Processes that draw one number per agent draw for every agent slot and use the draws of the
agents concerned, so an agent's draw does not depend on who else is eligible.

A compiled loop draws from a counter-based generator instead (:func:`philox4x32`, Philox4x32-10
of Salmon et al. 2011): its numbers are a function of a key (:meth:`Streams.counter_key`, from
the process's SeedSequence) and a counter the loop names, such as (agent slot, round, month,
0), so each agent's draw is computed inside the loop that uses it (a round at a time), with no
stream of draws made first, and it does not depend on which agents are drawn for, nor on
their order. The same function runs on numpy arrays (the vectorised reference) and on scalars
inside numba, with the same numbers.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy import special


def as_seed(rng: object) -> int:
    """A Python int seed for Mesa: numpy ints converted, None replaced by fresh OS entropy."""
    if rng is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(f"rng must be an integer seed, got {type(rng).__name__}")
    return int(rng)


def replication_seeds(root: int, n: int) -> list[int]:
    """``n`` independent seeds from ``root``: SeedSequence(root).spawn(n), as Python ints.

    Replication i gets the same seed in every scenario (common random numbers).
    """
    children = np.random.SeedSequence(int(root)).spawn(n)
    return [int(c.generate_state(1, np.uint64)[0] >> 1) for c in children]


def stream_key(name: str) -> int:
    """The stable number of a process's stream (CRC-32 of its name)."""
    return zlib.crc32(name.encode("utf-8"))


MONTH_WORD = 2  # the Philox counter word that holds the month (words 0-1 count the draws)
# Philox's output buffer, unread at position 4 (Python ints, like the key and counter that
# Streams hands to the state setter: it reads them word by word, faster from a tuple)
EMPTY_BUFFER = (0, 0, 0, 0)
LARGEST_FLOAT = np.finfo(float).max  # where np.nan_to_num puts +inf


def month_counter(month: int) -> np.ndarray:
    """The Philox counter at the start of ``month``."""
    counter = np.zeros(4, np.uint64)
    counter[MONTH_WORD] = month
    return counter


def stream_generator(seed: int, name: str, month: int) -> np.random.Generator:
    """A fresh generator positioned at the start of ``month`` of the stream ``name`` (its key is
    drawn from the stream's SeedSequence, which the generator keeps: nothing reads OS entropy)."""
    sequence = np.random.SeedSequence(int(seed), spawn_key=(stream_key(name),))
    return np.random.Generator(np.random.Philox(sequence, counter=month_counter(month)))


# ---- a counter-based generator for compiled loops (Philox4x32-10, Salmon et al. 2011) ----
PHILOX_M0, PHILOX_M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)  # the round multipliers
PHILOX_W0, PHILOX_W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)  # the key's increments
PHILOX_ROUNDS = 10  # the authors' choice, with a safety margin over the 7 that pass BigCrush
LOW32 = np.uint64(0xFFFFFFFF)
BITS32 = np.uint64(32)
WORD_UNIT = 2.0 ** -32  # a 32-bit word as a uniform on [0, 1), 2^-32 apart
HIGH27, LOW26 = np.uint64(5), np.uint64(6)  # two words' top 27 and 26 bits make 53
FINE_UNIT = 2.0 ** -53


def philox4x32(c0, c1, c2, c3, k0, k1):
    """The four 32-bit words (as uint64) of Philox4x32-10 for counter (c0, c1, c2, c3) and key
    (k0, k1), all uint64 below 2^32: scalars (inside numba) or numpy arrays (elementwise).

    The influence loop compiles this function into its own cached code, and numba's cache
    does not notice an edit here: after one, delete
    ``sim/submodels/__pycache__/influence.*.nb*`` (``tests/test_influence.py`` says so if
    the compiled draws no longer equal these)."""
    for _ in range(PHILOX_ROUNDS):
        p0, p1 = PHILOX_M0 * c0, PHILOX_M1 * c2
        c0, c1, c2, c3 = ((p1 >> BITS32) ^ c1 ^ k0, p1 & LOW32,
                          (p0 >> BITS32) ^ c3 ^ k1, p0 & LOW32)
        k0, k1 = (k0 + PHILOX_W0) & LOW32, (k1 + PHILOX_W1) & LOW32
    return c0, c1, c2, c3


def word_uniform(word):
    """A uniform on [0, 1) from one 32-bit word (resolution 2^-32)."""
    return word * WORD_UNIT


def fine_uniform(high, low):
    """A uniform on [0, 1) with 53 random bits, from two 32-bit words (as numpy's doubles)."""
    return ((high >> HIGH27) * np.uint64(1 << 26) + (low >> LOW26)) * FINE_UNIT


def counter_key(seed: int, name: str) -> np.ndarray:
    """The two 32-bit key words (as uint64) of process ``name``'s counter-based draws."""
    sequence = np.random.SeedSequence(int(seed), spawn_key=(stream_key(name),))
    return sequence.generate_state(2, np.uint32).astype(np.uint64)


class Streams:
    """A run's random streams by process name (``streams["demography.deaths"]``), each made on
    first use; :meth:`start_month` moves every stream to the start of that month (the model
    calls it before each month's processes)."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self.start_month(0)
        self._made: dict[str, np.random.Generator] = {}
        self._keys: dict[str, tuple[int, ...]] = {}
        self._month_of: dict[str, int] = {}
        self._counter_keys: dict[str, np.ndarray] = {}

    def start_month(self, month: int) -> None:
        """Position the streams at the start of ``month`` (each when it is next used)."""
        self.month = int(month)
        self._counter = tuple(month_counter(self.month).tolist())  # as the state setter reads it

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._made:
            self._made[name] = stream_generator(self.seed, name, self.month)
            self._keys[name] = tuple(self._made[name].bit_generator.state["state"]["key"].tolist())
        elif self._month_of[name] != self.month:
            self._reposition(self._made[name].bit_generator, self._keys[name])
        self._month_of[name] = self.month
        return self._made[name]

    def _reposition(self, bit_generator: np.random.Philox, key: tuple[int, ...]) -> None:
        """Set the counter to the month's start with the stream's key and an empty buffer
        (``buffer_pos`` 4: the next draw computes a fresh block, whatever the buffer holds)."""
        bit_generator.state = {"bit_generator": "Philox",
                               "state": {"counter": self._counter, "key": key},
                               "buffer": EMPTY_BUFFER, "buffer_pos": 4, "has_uint32": 0,
                               "uinteger": 0}

    def counter_key(self, name: str) -> np.ndarray:
        """The key of process ``name``'s counter-based draws (:func:`philox4x32`), whose
        counters name the month themselves."""
        if name not in self._counter_keys:
            self._counter_keys[name] = counter_key(self.seed, name)
        return self._counter_keys[name]

    def names(self) -> list[str]:
        """The streams used so far."""
        return sorted(self._made)

    def states(self) -> dict[str, dict]:
        """Each stream's generator state as plain numbers (to check that nothing drew from it)."""
        return {name: plain(g.bit_generator.state) for name, g in sorted(self._made.items())}


def plain(state: object) -> object:
    """A generator state with its numpy arrays as lists (comparable with ``==``)."""
    if isinstance(state, dict):
        return {k: plain(v) for k, v in state.items()}
    return state.tolist() if isinstance(state, np.ndarray) else state


def slot_uniforms(rng: np.random.Generator, n: int, slots: np.ndarray) -> np.ndarray:
    """One uniform for each of ``slots`` among ``n`` agent slots: the month's draw of every slot,
    read where asked, so that an agent's draw does not depend on which others are drawn for."""
    return rng.random(n)[slots]


def random_subset(rng: np.random.Generator, n: int, pool: np.ndarray, k: int) -> np.ndarray:
    """``k`` members of ``pool`` (distinct slots below ``n``) chosen uniformly at random, each
    by its own slot's draw (the ``k`` lowest); all of ``pool`` when k ≥ its size. It draws
    the ``n`` numbers even when k ≤ 0, so the stream's later draws do not depend on k."""
    keys = slot_uniforms(rng, n, pool)
    if k <= 0:
        return pool[:0]
    if k < len(pool):  # only those up to the k-th lowest key (ties included) need sorting
        up_to_kth = keys <= np.partition(keys, k - 1)[k - 1]
        pool, keys = pool[up_to_kth], keys[up_to_kth]
    return pool[np.argsort(keys, kind="stable")[:k]]


def binomial_by_inversion(u: np.ndarray, n: np.ndarray, p: float) -> np.ndarray:
    """Binomial(n, p) counts from uniforms ``u`` by inversion (the smallest k with
    P(X ≤ k) ≥ u, as ``scipy.stats.binom.ppf``): one uniform makes one count whatever n is, and
    with the same uniform a larger n never gives a smaller count (common random numbers)."""
    u, n = np.asarray(u, dtype=float), np.asarray(n, dtype=float)
    if p <= 0:
        return np.zeros(np.broadcast(u, n).shape, np.int64)
    if p >= 1:
        return np.broadcast_to(n, np.broadcast(u, n).shape).astype(np.int64)
    k = np.minimum(_rounded_up(special.bdtrik(u, n, p)), n).astype(np.int64)
    return _step_down(k, u, lambda j: special.bdtr(j, n.astype(np.int64), p))


def poisson_by_inversion(u: np.ndarray, mean: float) -> np.ndarray:
    """Poisson(mean) counts from uniforms ``u`` by inversion (as ``scipy.stats.poisson.ppf``)."""
    u = np.asarray(u, dtype=float)
    if mean <= 0:
        return np.zeros(u.shape, np.int64)
    k = _rounded_up(special.pdtrik(u, mean)).astype(np.int64)
    return _step_down(k, u, lambda j: special.pdtr(j, mean))


def _rounded_up(inverse: np.ndarray) -> np.ndarray:
    """The continuous inverse rounded up, at least 0, NaN as 0 and +inf as the largest float:
    ``np.maximum(np.nan_to_num(np.ceil(inverse)), 0)`` in fewer passes (``fmax`` drops NaN)."""
    return np.fmin(np.fmax(np.ceil(inverse), 0.0), LARGEST_FLOAT)


def _step_down(k: np.ndarray, u: np.ndarray, cdf) -> np.ndarray:
    """``k - 1`` where its CDF already reaches ``u`` (the continuous inverse rounded up can
    overshoot by one), else ``k``: scipy's correction in ``binom.ppf`` and ``poisson.ppf``."""
    below = np.maximum(k - 1, 0)
    return np.where(cdf(below) >= u, below, k)
