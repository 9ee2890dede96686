"""The contact network: ties within households, buildings, villages and local workplaces.

Ties are stored as CSR arrays (``indptr``, ``indices``) per layer, drawn with the model's
generator, so that sampling a contact for every resident is one vectorised step.
``to_networkx`` turns them into a ``networkx.Graph`` for inspection.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np


@dataclass(frozen=True)
class Layer:
    """Undirected ties in CSR form: the neighbours of ``i`` are ``indices[indptr[i]:indptr[i+1]]``."""

    indptr: np.ndarray
    indices: np.ndarray

    @property
    def degree(self) -> np.ndarray:
        """Number of ties of each node."""
        return np.diff(self.indptr)

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        """One random neighbour per node (-1 for nodes without ties)."""
        deg = self.degree
        pick = self.indptr[:-1] + np.floor(rng.random(len(deg)) * deg).astype(np.int64)
        out = np.full(len(deg), -1, dtype=np.int64)
        has = deg > 0
        out[has] = self.indices[pick[has]]
        return out


def csr_from_edges(n: int, u: np.ndarray, v: np.ndarray) -> Layer:
    """Symmetric, de-duplicated CSR layer from an edge list (self-loops dropped)."""
    keep = u != v
    a = np.concatenate([u[keep], v[keep]]).astype(np.int64)
    b = np.concatenate([v[keep], u[keep]]).astype(np.int64)
    key = np.unique(a * n + b)
    src, dst = key // n, key % n
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=n))])
    return Layer(indptr=indptr, indices=dst)


def random_group_partner(groups: np.ndarray, rng: np.random.Generator,
                         members: np.ndarray | None = None) -> np.ndarray:
    """For each node, a uniformly random node of the same group (may be itself; -1 if no group).

    ``groups`` holds a group id per node, negative for nodes outside every group.
    """
    n = len(groups)
    valid = groups >= 0 if members is None else (groups >= 0) & members
    order = np.flatnonzero(valid)[np.argsort(groups[valid], kind="stable")]
    g_sorted = groups[order]
    starts = np.searchsorted(g_sorted, groups, side="left")
    ends = np.searchsorted(g_sorted, groups, side="right")
    size = ends - starts
    out = np.full(n, -1, dtype=np.int64)
    ok = valid & (size > 0)
    offs = np.floor(rng.random(int(ok.sum())) * size[ok]).astype(np.int64)
    out[ok] = order[starts[ok] + offs]
    return out


def group_ties(groups: np.ndarray, degree: int, rng: np.random.Generator) -> Layer:
    """Each node draws ``degree`` random ties inside its group; ties are made symmetric."""
    n = len(groups)
    if degree <= 0:
        return csr_from_edges(n, np.empty(0, np.int64), np.empty(0, np.int64))
    u = np.repeat(np.arange(n), degree)
    # partners are drawn on the repeated array; integer division maps them back to node ids
    v = random_group_partner(np.repeat(groups, degree), rng)
    ok = v >= 0
    v = v // degree
    return csr_from_edges(n, u[ok], v[ok])


def build_layers(household: np.ndarray, building: np.ndarray, village: np.ndarray,
                 building_degree: int, village_degree: int,
                 rng: np.random.Generator) -> dict[str, Layer]:
    """Static layers: complete ties within households, random ties within buildings/villages."""
    n = len(household)
    order = np.argsort(household, kind="stable")
    u, v = _complete_within_groups(order, household[order])
    layers = {"household": csr_from_edges(n, u, v)}
    layers["building"] = group_ties(building, building_degree, rng)
    layers["village"] = group_ties(village, village_degree, rng)
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
    """A networkx Graph of the static layers; each edge's ``layers`` lists where the tie comes from."""
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
