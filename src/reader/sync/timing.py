"""Time <-> transcript position maps: monotone piecewise-linear through anchors.

Positions are word offsets into the transcript (words are what take time to say), so
lines of different lengths get the right share of the time between two anchors.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

WORDS_PER_SECOND = 155 / 60  # a typical speaking rate when nothing better is known


def _interp(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    if len(xs) == 1:
        return ys[0]
    i = bisect_right(xs, x) - 1
    i = max(0, min(i, len(xs) - 2))
    x0, x1, y0, y1 = xs[i], xs[i + 1], ys[i], ys[i + 1]
    if x1 == x0:
        return y0
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


class TimeMap:
    """Monotone map between transcript word position and time (seconds).

    ``points`` are (position, time) pairs; both coordinates strictly increase after
    construction. Beyond the first/last point the map extends at ``rate`` words/s.
    """

    def __init__(self, points: Sequence[tuple[float, float]], rate: float) -> None:
        pts: list[tuple[float, float]] = []
        for p, t in sorted(points):
            if pts and (p <= pts[-1][0] or t <= pts[-1][1]):
                continue
            pts.append((p, t))
        if not pts:
            pts = [(0.0, 0.0)]
        self.rate = rate if rate > 0 else WORDS_PER_SECOND
        self.pos = [p for p, _ in pts]
        self.time = [t for _, t in pts]

    def time_at(self, pos: float) -> float:
        if pos <= self.pos[0]:
            return max(0.0, self.time[0] - (self.pos[0] - pos) / self.rate)
        if pos >= self.pos[-1]:
            return self.time[-1] + (pos - self.pos[-1]) / self.rate
        return _interp(self.pos, self.time, pos)

    def times_at(self, positions: Sequence[float]) -> list[float]:
        """``time_at`` of each of ``positions`` (non-decreasing): one sweep along the
        map instead of a bisection per position (the same values, linear cost)."""
        xs, ys = self.pos, self.time
        first, last = xs[0], xs[-1]
        out: list[float] = []
        i, top = 0, len(xs) - 2
        for pos in positions:
            if pos <= first or pos >= last:
                out.append(self.time_at(pos))
                continue
            while i < top and xs[i + 1] <= pos:
                i += 1
            x0, x1, y0 = xs[i], xs[i + 1], ys[i]
            out.append(y0 + (ys[i + 1] - y0) * (pos - x0) / (x1 - x0))
        return out

    def pos_at(self, time: float) -> float:
        if time <= self.time[0]:
            return max(0.0, self.pos[0] - (self.time[0] - time) * self.rate)
        if time >= self.time[-1]:
            return self.pos[-1] + (time - self.time[-1]) * self.rate
        return _interp(self.time, self.pos, time)


def fill_times(values: Sequence[float | None]) -> list[float]:
    """Real unit times with gaps interpolated and made non-decreasing."""
    n = len(values)
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if not known:
        return [0.0] * n
    out: list[float] = [0.0] * n
    for i in range(n):
        if values[i] is not None:
            out[i] = float(values[i])  # type: ignore[arg-type]
    idx = [i for i, _ in known]
    for i in range(n):
        if values[i] is None:
            j = bisect_right(idx, i)
            if j == 0:
                out[i] = float(known[0][1])
            elif j >= len(idx):
                out[i] = float(known[-1][1])
            else:
                (i0, v0), (i1, v1) = known[j - 1], known[j]
                out[i] = v0 + (v1 - v0) * (i - i0) / (i1 - i0)
    run = 0.0
    for i in range(n):
        run = max(run, out[i])
        out[i] = run
    return out
