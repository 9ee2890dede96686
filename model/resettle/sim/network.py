"""The contact network: ties within households, buildings, villages and local workplaces.

Ties are stored as CSR arrays (``indptr``, ``indices``) per layer, drawn with the model's
generator, so that sampling a contact for every resident is one vectorised step.
``to_networkx`` turns them into a ``networkx.Graph`` for inspection.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Layer:
    """Undirected ties in CSR form: neighbours of i are ``indices[indptr[i]:indptr[i+1]]``."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def degree(self) -> np.ndarray:
        """Number of ties of each node."""
        return np.diff(self.indptr)

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        """One random neighbour per node (-1 for nodes without ties)."""
        out = np.full(len(self.indptr) - 1, -1, dtype=np.int64)
        has = np.flatnonzero(self.degree > 0)
        out[has] = self.sample_nodes(has, rng)
        return out

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per node: where its ties start in ``indices``, how many, and ``indices``."""
        return self.indptr[:-1], self.degree, self.indices

    def sample_nodes(self, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One random neighbour for each of ``nodes`` (all must have ties)."""
        start = self.indptr[nodes]
        deg = self.indptr[nodes + 1] - start
        return self.indices[start + (rng.random(len(nodes)) * deg).astype(np.int64)]


class GroupSampler:
    """Random contacts within groups (e.g. co-workers): each member's contact is a uniformly
    random member of its group (possibly itself, which then counts as no contact)."""

    def __init__(self, groups: np.ndarray) -> None:
        members = np.flatnonzero(groups >= 0)
        group = groups[members]
        self.order = members[np.argsort(group, kind="stable")]
        counts = np.bincount(group, minlength=1)
        self.start = np.zeros(len(groups), np.int64)  # 0 for non-members
        self.size = np.zeros(len(groups), np.int64)
        self.start[members] = (np.cumsum(counts) - counts)[group]
        self.size[members] = counts[group]

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per node: where its group starts in ``order``, the group size, and ``order``."""
        return self.start, self.size, self.order

    def sample_nodes(self, nodes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random member of each node's group (all ``nodes`` must be members)."""
        offs = (rng.random(len(nodes)) * self.size[nodes]).astype(np.int64)
        return self.order[self.start[nodes] + offs]


class ContactSampler:
    """Draws one contact per node per round: first a layer, with probability proportional to
    the layer weights among the layers where the node has ties, then a tie in that layer.

    Every layer is a (start, degree, targets) view — CSR rows for static ties, group runs for
    co-workers — stacked so that one round is a handful of vectorised gathers.
    """

    def __init__(self, layers: list, weights: np.ndarray,
                 stacked: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
        self.start, self.degree, self.targets = stack_rows(layers, stacked)
        self.weights = np.asarray(weights, dtype=float)
        self.n = self.start.shape[1]

    def cumulative(self) -> np.ndarray:
        """Per node, the cumulative share of each layer among the layers where it has ties
        (NaN for nodes with no ties at all)."""
        w = (self.degree > 0) * self.weights[:, None]
        cum = np.add.accumulate(w, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return cum / cum[-1]

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        """Contacts of every node this round (-1 for nodes with no ties at all)."""
        return self.partners(rng.random((2, self.n)))

    def partners(self, u: np.ndarray, cum: np.ndarray | None = None) -> np.ndarray:
        """Contacts given uniforms ``u`` of shape (2, n): the first layer whose cumulative
        share exceeds u[0], then the tie ``floor(u[1]·degree)`` in it."""
        cum = self.cumulative() if cum is None else cum
        above = cum > u[0]
        layer = np.argmax(above, axis=0)
        nodes = np.arange(self.n)
        start, degree = self.start[layer, nodes], self.degree[layer, nodes]
        partner = self.targets[np.minimum(start + (u[1] * degree).astype(np.int64),
                                          len(self.targets) - 1)]
        return np.where(above.any(axis=0), partner, -1)


def tie_matrix(layers: list[Layer], n: int) -> sparse.csr_array:
    """The union of ``layers`` as an n × n sparse matrix counting the ties between two people
    (the ties are static, so it is built once)."""
    ties = [sparse.csr_array((np.ones(len(la.indices), np.int32), la.indices, la.indptr),
                             shape=(n, n)) for la in layers]
    return sum(ties[1:], ties[0]).tocsr()


def has_neighbour(ties: sparse.csr_array, mask: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """For each of ``nodes``, whether any of its neighbours (``tie_matrix``) is selected by
    ``mask``."""
    return (ties @ mask.astype(np.int32))[nodes] > 0


def stack_rows(layers: list, stacked: tuple | None = None) -> tuple[np.ndarray, ...]:
    """Stack the (start, degree, targets) rows of ``layers`` after an already ``stacked`` set.

    A ``StaticRows`` given as ``stacked`` reuses its preallocated buffer for the new targets.
    """
    if isinstance(stacked, StaticRows):
        return stacked.with_layers(layers)
    starts, degrees, targets = ([], [], []) if stacked is None else \
        (list(stacked[0]), list(stacked[1]), [stacked[2]])
    offset = sum(len(t) for t in targets)
    for layer in layers:
        start, degree, target = layer.rows()
        starts.append(start + offset)
        degrees.append(degree)
        targets.append(target)
        offset += len(target)
    return np.stack(starts), np.stack(degrees), np.concatenate(targets)


class StaticRows:
    """The stacked rows of the static layers, computed once, with room for one more layer of
    at most ``n`` targets (the month's co-worker groups)."""

    def __init__(self, layers: list, n: int) -> None:
        start, degree, targets = stack_rows(layers)
        k = start.shape[0]
        self.start = np.empty((k + 1, n), np.int64)
        self.degree = np.empty((k + 1, n), np.int64)
        self.start[:k], self.degree[:k] = start, degree
        self.targets = np.concatenate([targets, np.zeros(n, np.int64)])
        self.offset = len(targets)

    def with_layers(self, layers: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The static rows plus one extra layer (written into the preallocated rows)."""
        (layer,) = layers
        start, degree, target = layer.rows()
        self.start[-1] = start + self.offset
        self.degree[-1] = degree
        self.targets[self.offset:self.offset + len(target)] = target
        return self.start, self.degree, self.targets


def csr_from_edges(n: int, u: np.ndarray, v: np.ndarray) -> Layer:
    """Symmetric, de-duplicated CSR layer from an edge list (self-loops dropped)."""
    keep = u != v
    a = np.concatenate([u[keep], v[keep]]).astype(np.int64)
    b = np.concatenate([v[keep], u[keep]]).astype(np.int64)
    key = np.sort(a * n + b)
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key
    src, dst = key // n, key % n
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    return Layer(indptr=indptr, indices=dst)


def group_ties(groups: np.ndarray, degree: int, rng: np.random.Generator,
               age: np.ndarray | None = None, candidates: int = 1) -> Layer:
    """Each node draws ``degree`` ties inside its group; ties are made symmetric.

    Age homophily (McPherson, Smith-Lovin & Cook 2001): each tie goes to the closest in age of
    ``candidates`` random group members (1 = no homophily).
    """
    n = len(groups)
    if degree <= 0:
        return csr_from_edges(n, np.empty(0, np.int64), np.empty(0, np.int64))
    u = np.repeat(np.arange(n), degree)
    sampler = GroupSampler(groups)
    cand = np.stack([sampler.sample_nodes(u, rng) for _ in range(max(candidates, 1))])
    if cand.shape[0] > 1 and age is not None:
        gap = np.abs(age[cand] - age[u])
        gap[cand == u] = np.inf  # never prefer oneself
        cand = cand[np.argmin(gap, axis=0), np.arange(len(u))][None, :]
    return csr_from_edges(n, u, cand[0])


def build_layers(household: np.ndarray, building: np.ndarray, village: np.ndarray,
                 building_degree: int, village_degree: int, rng: np.random.Generator,
                 age: np.ndarray | None = None, candidates: int = 1) -> dict[str, Layer]:
    """Static layers: complete ties within households, age-homophilous random ties within
    buildings and villages."""
    n = len(household)
    order = np.argsort(household, kind="stable")
    u, v = _complete_within_groups(order, household[order])
    layers = {"household": csr_from_edges(n, u, v)}
    layers["building"] = group_ties(building, building_degree, rng, age, candidates)
    layers["village"] = group_ties(village, village_degree, rng, age, candidates)
    return layers


def _complete_within_groups(order: np.ndarray, g_sorted: np.ndarray) -> tuple[np.ndarray, ...]:
    """All pairs within each (small) group, vectorised over offsets."""
    us, vs = [], []
    max_size = int(np.max(np.bincount(g_sorted))) if len(g_sorted) else 0
    for off in range(1, max_size):
        same = g_sorted[:-off] == g_sorted[off:]
        us.append(order[:-off][same])
        vs.append(order[off:][same])
    if not us:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(us), np.concatenate(vs)


def to_networkx(layers: dict[str, Layer], n: int) -> nx.Graph:
    """A networkx Graph of the static layers; an edge's ``layers`` says where it comes from."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for name, layer in layers.items():
        src = np.repeat(np.arange(n), layer.degree)
        for a, b in zip(src.tolist(), layer.indices.tolist(), strict=True):
            if a < b:
                if graph.has_edge(a, b):
                    graph[a][b]["layers"].append(name)
                else:
                    graph.add_edge(a, b, layers=[name])
    return graph
