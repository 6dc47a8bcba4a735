"""Monotone path by dynamic programming: a weighted longest non-decreasing subsequence.

Claims are visited in timestamp order; each offers a few candidate windows (position,
weight). The path picks at most one candidate per claim so that positions never
decrease and the total weight is greatest. Claims left off the path are those whose
best matches contradict the chronology of the others (themed summaries, wrong stamps).
O(candidates * log(positions)) with a Fenwick tree of prefix maxima.
"""

from __future__ import annotations

from collections.abc import Sequence


class _PrefixMax:
    def __init__(self, n: int) -> None:
        self.n = n
        self.val = [0.0] * (n + 1)
        self.arg: list[int] = [-1] * (n + 1)

    def update(self, i: int, v: float, ref: int) -> None:
        i += 1
        while i <= self.n:
            if v > self.val[i]:
                self.val[i] = v
                self.arg[i] = ref
            i += i & -i

    def query(self, i: int) -> tuple[float, int]:
        """Max over positions 0..i inclusive."""
        i += 1
        best, ref = 0.0, -1
        while i > 0:
            if self.val[i] > best:
                best, ref = self.val[i], self.arg[i]
            i -= i & -i
        return best, ref


def monotone_path(
    candidates: Sequence[Sequence[tuple[int, float]]], n_positions: int
) -> list[int | None]:
    """For each group (in order) the index of its chosen candidate, or None.

    ``candidates[g]`` lists (position, weight) pairs; positions are in 0..n_positions-1,
    weights > 0 (others are ignored).
    """
    tree = _PrefixMax(max(1, n_positions))
    back: list[tuple[int, int, int]] = []  # node -> (group, candidate, previous node)
    for g, cands in enumerate(candidates):
        pending = []
        for c, (pos, weight) in enumerate(cands):
            if weight <= 0:
                continue
            best, ref = tree.query(pos)
            pending.append((pos, best + weight, g, c, ref))
        for pos, total, grp, c, ref in pending:  # after the queries: one per group
            back.append((grp, c, ref))
            tree.update(pos, total, len(back) - 1)
    _, node = tree.query(max(1, n_positions) - 1)
    chosen: list[int | None] = [None] * len(candidates)
    while node >= 0:
        g, c, prev = back[node]
        chosen[g] = c
        node = prev
    return chosen
