"""Anchoring: which placed claims the time map goes through, and the map through them.

An anchoring pass (``Anchoring.anchors``) takes each claim's best windows near its
stamp's position under the current map, and a monotone path over the claims sorted by
stamp (path.py) keeps the chronologically consistent ones. The robust fit (``fit``) drops
anchors whose stamp disagrees with their neighbours, or whose local speaking rate is
absurd. With a duration, a chapter list's anchors must earn their place (``earned``): if
the uniform clock predicts their stamps as well, the clock it is. The map itself is the
clock plus the drift the kept anchors observe, Kalman-smoothed (``smoothed``, smooth.py).
"""

from __future__ import annotations

import heapq

from .candidates import Item, top
from .geometry import Geometry
from .path import monotone_path
from .rate import RATE_BAND, Rate
from .smooth import Smoothed, smooth
from .timing import TimeMap
from .titles import onset

CANDIDATES = 6
RATE_SLACK_WORDS = 40.0
LOO_MAX_S = 60.0  # an anchor this far from what its neighbours say is not trusted
SHORT_ANCHOR_WEIGHT = 0.5
EARN_SHARE = 0.8  # the anchored map must beat the clock's median error by this factor
TITLE_SD = 10.0  # a placed title onset is off by about this at least (rms on the dev lists: 9.5 s)

Anchor = tuple[float, float, float]  # (stamp, word position, score)


class Anchoring:
    """The anchors kept so far and the maps through them."""

    def __init__(self, geo: Geometry, given_duration: float | None, rate: Rate) -> None:
        self.geo = geo
        self.given_duration = given_duration
        self.rate = rate
        self.rejected: set[tuple[float, float]] = set()
        self.fit_points: list[tuple[float, float]] = []  # (stamp, position) the map goes through
        self.title_points: set[tuple[float, float]] = set()  # ...of which chapter titles
        self.used_clock = False  # the uniform clock beat a chapter list's anchors
        self.held_out: list[tuple[float, float]] = []  # (stamp, position) the clock beat
        self.hyper: tuple[float, float] | None = None  # (kappa, sd) of the last smoothing

    def claim_points(self) -> int:
        """Kept anchors that are claims, not titles."""
        return sum(1 for tp in self.fit_points if tp not in self.title_points)

    def anchors(
        self, items: list[Item], order: list[int], win_time: list[float], sigma: float
    ) -> list[Anchor]:
        """One anchoring pass: each claim's best windows near its stamp under the map the
        window times come from, the chronologically consistent ones kept."""
        geo = self.geo
        cands = []
        tops = []
        for i in order:
            it = items[i]
            if it.is_title:
                # a title anchors only through its single best match near its stamp, at
                # reduced weight: the path and the leave-one-out check drop wrong ones
                tp = [(w, c * SHORT_ANCHOR_WEIGHT, s) for w, c, s in top(it, win_time, sigma, 1)]
            else:
                tp = top(it, win_time, sigma, CANDIDATES)
            tops.append(tp)
            cands.append([(w, c) for w, c, _ in tp])
        chosen = monotone_path(cands, geo.win.count)
        anchors = []
        self.title_points = set()
        for k, i in enumerate(order):
            c = chosen[k]
            if c is None:
                continue
            w, _, s = tops[k][c]
            a, _ = geo.trim(items[i].scores, w)
            if items[i].is_title:
                a = onset(geo, items[i], a)
                self.title_points.add((items[i].claim.seconds, float(geo.cum[a])))
            anchors.append((items[i].claim.seconds, float(geo.cum[a]), s))
        return anchors

    def fit(self, anchors: list[Anchor], rate0: float) -> TimeMap:
        """anchors: (time, position, score), sorted by time.

        Robust: repeatedly drops the anchor whose stamp disagrees most with the time its
        neighbours interpolate at its position (leave-one-out), while that exceeds
        LOO_MAX_S, or whose neighbours imply a negative or absurd speaking rate.
        """
        total = self.geo.total
        lo, hi = RATE_BAND[0] * rate0, RATE_BAND[1] * rate0
        pts = sorted(anchors)
        start = (0.0, 0.0, 1e9)
        end = [(self.given_duration, float(total), 1e9)] if self.given_duration else []
        seq = [start] + pts + end
        m = len(pts)
        prev = list(range(-1, len(seq) - 1))
        nxt = list(range(1, len(seq) + 1))
        alive = [True] * len(seq)

        def error(j: int) -> float:
            """How far anchor j's stamp is from what its live neighbours say."""
            t, p, _ = seq[j]
            t0, p0, _ = seq[prev[j]]
            if nxt[j] < len(seq):
                t1, p1, _ = seq[nxt[j]]
                est = t0 + (t1 - t0) * (p - p0) / (p1 - p0) if p1 > p0 else (t0 + t1) / 2
            else:
                # the last anchor, no duration: extrapolate at the rate the other
                # anchors imply (rate0 is a guess; judged by it, sparse anchors such
                # as chapter titles would be peeled off from the end one by one)
                r = p0 / t0 if t0 >= 300.0 else rate0
                est = t0 + (p - p0) / min(max(r, lo), hi)
            err = abs(est - t)
            dp, dt = p - p0, t - t0
            if (
                dp < -RATE_SLACK_WORDS
                or dp > hi * dt + RATE_SLACK_WORDS
                or dp < lo * dt - RATE_SLACK_WORDS
            ):
                err = max(err, LOO_MAX_S + 1e-6)
            return err

        # drop the worst anchor while it is worse than LOO_MAX_S; only its neighbours'
        # errors change, so a heap with stale entries skipped keeps this O(n log n)
        version = [0] * len(seq)
        heap = [(-error(j), j, 0) for j in range(1, m + 1)]
        heapq.heapify(heap)
        while heap:
            neg, j, ver = heapq.heappop(heap)
            if not alive[j] or ver != version[j]:
                continue
            if -neg <= LOO_MAX_S:
                break
            alive[j] = False
            self.rejected.add((seq[j][0], seq[j][1]))
            a, b = prev[j], nxt[j]
            nxt[a] = b
            if b < len(seq):
                prev[b] = a
            for k in (a, b):
                if 1 <= k <= m and alive[k]:
                    version[k] += 1
                    heapq.heappush(heap, (-error(k), k, version[k]))
        kept = [seq[j] for j in range(1, m + 1) if alive[j]]
        points = [(0.0, 0.0)] + [(p, t) for t, p, _ in kept]
        self.fit_points = [(t, p) for t, p, _ in kept]
        if self.given_duration:
            points.append((float(total), self.given_duration))
            rate = total / self.given_duration
        elif self.rate.titles_agreeing and self.rate.guess:
            # a chapter list's rate, agreed on by several titles: beyond the last title
            # the clock runs at it, not at the rate the last title's placement implies
            # (one title, placed by a word or two: groups' last onset is 32 s early)
            rate = self.rate.guess
        elif len(kept) >= 2 and kept[-1][0] - kept[0][0] > 60:
            rate = (kept[-1][1]) / max(1.0, kept[-1][0])
        else:
            rate = rate0
        rate = min(max(rate, lo), hi)
        return TimeMap(points, rate)

    def earned(self, tmap: TimeMap, rate0: float) -> TimeMap:
        """The anchored map only where it earns its place: unless the anchored map, without
        each anchor in turn (leave-one-out), predicts the anchors' stamps clearly better
        than the uniform clock does (median error under EARN_SHARE of the clock's), the
        clock it is (the simpler model wins a tie; anchors dropped)."""
        total = self.geo.total
        pts = sorted((p, t) for t, p in self.fit_points)
        if len(pts) < 2:
            return tmap
        ends = [(0.0, 0.0)] + pts
        if self.given_duration:
            ends.append((float(total), float(self.given_duration)))
            rate = total / self.given_duration
        else:
            rate = pts[-1][0] / max(1.0, pts[-1][1])
        loo, clk = [], []
        for j in range(1, len(pts) + 1):
            p, t = ends[j]
            p0, t0 = ends[j - 1]
            if j + 1 < len(ends):
                p1, t1 = ends[j + 1]
                est = t0 + (t1 - t0) * (p - p0) / (p1 - p0) if p1 > p0 else (t0 + t1) / 2
            else:
                est = t0 + (p - p0) / rate
            loo.append(abs(est - t))
            clk.append(abs(p / rate - t))
        loo.sort()
        clk.sort()
        if loo[len(loo) // 2] > EARN_SHARE * clk[len(clk) // 2]:
            self.held_out = [(t, p) for p, t in pts]
            self.fit_points = []
            self.used_clock = True
            return TimeMap([(0.0, 0.0), (float(total), total / rate)], rate)
        return tmap

    def smoothed(self, tmap: TimeMap, search: bool = True) -> tuple[TimeMap, Smoothed]:
        """The clock plus the smoothed drift the kept anchors observe. ``search``: choose
        kappa and the anchors' error afresh (else reuse the last choice, if any)."""
        total = self.geo.total
        end: float | None
        if self.given_duration:
            rate = total / self.given_duration
            end = float(self.given_duration)
        else:
            rate = tmap.rate
            end = None
        # a chapter title's onset is found to TITLE_SD at best: the smoother never takes
        # its stamp as more precise than that (seed/LeCun chapter lists: line median
        # 10.7 -> 9.1 s and 18.5 -> 18.2 s against trusting titles like claims)
        obs = [
            (p / rate, t - p / rate, TITLE_SD if (t, p) in self.title_points else 0.0)
            for t, p in self.fit_points
        ]
        sm = smooth(obs, end, None if search else self.hyper)
        self.hyper = (sm.kappa, sm.sd)
        points = [(0.0, 0.0)]
        for s, m in zip(sm.s[1:], sm.mean[1:], strict=False):
            points.append((s * rate, s + m))
        if end is not None:
            points.append((float(total), end))
        # (without a duration, beyond the last anchor the drift stays where it was: the
        # clock's rate)
        return TimeMap(points, rate), sm
