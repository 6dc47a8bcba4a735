"""The sync engine: claims -> transcript ranges, transcript units -> times.

Passes (untimed transcripts):
  1. score every claim against every window (BM25, see scoring.py);
  2. anchors: for each claim the best windows near its timestamp's position under the
     current time map; a monotone path over claims sorted by timestamp (path.py) keeps
     the chronologically consistent ones; anchors whose local speaking rate is absurd
     are dropped; a piecewise-linear map is fitted through them (timing.py). Repeated
     with a narrowing prior, starting from a single global rate;
  3. every claim is placed by text + a prior around its timestamp's mapped position;
     a much better match a few minutes away makes it ``time_mismatch``; too little
     support makes it ``unsupported`` (short chapter titles are placed by the prior);
  4. unit times are interpolated through the final confident, monotone placements.
Timed transcripts keep their times; claims are placed by text + a prior on real time.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from reader.model import Alignment, Claim, ClaimAlignment, Summary, Transcript

from .path import monotone_path
from .scoring import ClaimScores, Windows, build_windows, score_claim, unit_weights
from .timing import WORDS_PER_SECOND, TimeMap, fill_times

ENGINE_VERSION = "4"

LAMBDA = 0.3  # weight of the squared time deviation (in sigmas) against normalised BM25
ANCHOR_MIN = 0.30  # normalised score a claim needs to anchor the time map
SUPPORT_MIN = 0.22  # below this best score a claim is unsupported
SHORT_TERMS = 3  # claims with this many informative terms or fewer are titles
MISMATCH_S = 60.0  # a match further than this from the claim's own time is a mismatch
MISMATCH_MIN = 0.30  # ...when it scores at least this
MISMATCH_TERMS = 6  # 'clearly matches' needs a claim with this many informative terms
MISMATCH_RATIO = 2.0  # ...and at least this many times the best match near the stamp
MISMATCH_GAIN = 0.15  # ...and beats the best match near the timestamp by this much
FAR_SIGMA = 240.0  # prior width when looking for a claim's passage away from its stamp
FINAL_SIGMA = 45.0
TIMED_SIGMA = 30.0
CANDIDATES = 6
RATE_BAND = (0.4, 2.5)  # local speaking rate allowed between anchors, x global rate
RATE_SLACK_WORDS = 40.0
LOO_MAX_S = 60.0  # an anchor this far from what its neighbours say is not trusted
SHORT_ANCHOR_WEIGHT = 0.5
BAND_S = 1800.0  # a claim is scored only against windows within this of its prior...
BAND_FRAC = (0.1, 0.25)  # ...plus this share of its time (duration known, unknown)
SHORT_SIGMA = 20.0  # titles: the time prior wins
ONSET_MAX_WORDS = 250  # a title's topic onset is looked for this far before its best lines
ONSET_MASS = 0.5  # ...as the first line holding this share of the title's idf mass
TILE_MIN_RATE = 0.5  # a title starts this x the speaking rate x its stamp gap after the last


@dataclass(slots=True)
class _Item:
    summary: int
    claim: Claim
    scores: ClaimScores


def _best(
    item: _Item, win_time: list[float], sigma: float, extra: int | None = None, first: int = 0
) -> tuple[int, float, float]:
    """(window, combined, raw score) maximising score - LAMBDA * dt^2 / 2 sigma^2, over
    windows numbered ``first`` or more (and ``extra``)."""
    t = item.claim.seconds
    k = LAMBDA * 0.5 / (sigma * sigma)
    best_w, best_c, best_s = -1, float("-inf"), 0.0
    for w, s in item.scores.scores.items():
        if w < first:
            continue
        d = win_time[w] - t
        c = s - k * d * d
        if c > best_c:
            best_w, best_c, best_s = w, c, s
    if extra is not None:
        d = win_time[extra] - t
        c = item.scores.scores.get(extra, 0.0) - k * d * d
        if c > best_c:
            best_w, best_c, best_s = extra, c, item.scores.scores.get(extra, 0.0)
    return best_w, best_c, best_s


def _top(item: _Item, win_time: list[float], sigma: float, n: int) -> list[tuple[int, float, float]]:
    t = item.claim.seconds
    k = LAMBDA * 0.5 / (sigma * sigma)
    scored = []
    for w, s in item.scores.scores.items():
        if s < ANCHOR_MIN:
            continue
        d = win_time[w] - t
        scored.append((s - k * d * d, w, s))
    scored.sort(reverse=True)
    out: list[tuple[int, float, float]] = []
    for c, w, s in scored:
        if c <= 0:
            break
        if any(abs(w - o) <= 2 for o, _, _ in out):
            continue
        out.append((w, c, s))
        if len(out) >= n:
            break
    return out


class _Engine:
    def __init__(self, transcript: Transcript, summaries: list[Summary], duration_s: float | None):
        self.lines = transcript.lines
        n = len(self.lines)
        self.wc = [max(1, len(line.text.split())) for line in self.lines]
        self.cum = [0] * (n + 1)
        for i, c in enumerate(self.wc):
            self.cum[i + 1] = self.cum[i] + c
        self.total = self.cum[n]
        self.timed = transcript.timed and any(line.start is not None for line in self.lines)
        self.win: Windows = build_windows([line.text for line in self.lines], self.cum)
        self.given_duration = duration_s if duration_s and duration_s > 0 else None
        if self.given_duration is None and transcript.timed:
            self.given_duration = transcript.last_time
        self.real: list[float] | None = None
        if self.timed:
            self.real = fill_times([line.start for line in self.lines])
        last = max((c.seconds for s in summaries for c in s.claims), default=0.0)
        self.items = [
            _Item(si, c, score_claim(c.text, self.win, *self._band(c.seconds, last)))
            for si, s in enumerate(summaries)
            for c in s.claims
        ]
        self.order = sorted(
            range(len(self.items)),
            key=lambda i: (self.items[i].claim.seconds, self.items[i].summary, self.items[i].claim.index),
        )
        last_claim = max((it.claim.seconds for it in self.items), default=0.0)
        self.last_claim = last_claim
        self.rejected: set[tuple[float, float]] = set()

    def _band(self, t: float, last_claim: float) -> tuple[int, int]:
        """Windows a claim stamped ``t`` is scored against: those within BAND_S (plus a
        share of t, for speaking-rate drift) of its prior under one global rate (or the
        real times). Far outside, the time prior rules any match out anyway, so this
        changes no result and makes the cost linear in transcript length x claims/hour."""
        frac = BAND_FRAC[0] if self.given_duration else BAND_FRAC[1]
        half = BAND_S + frac * t
        if self.real is not None:
            a = bisect_right(self.real, t - half) - 1
            b = bisect_right(self.real, t + half)
        else:
            d0 = self.given_duration or max(self.total / WORDS_PER_SECOND, last_claim + 60.0)
            rate = self.total / d0
            a = self._unit_at_pos(max(0.0, (t - half) * rate))
            b = self._unit_at_pos((t + half) * rate)
        return self._window_at_unit(max(0, a)), self._window_at_unit(min(len(self.lines) - 1, b)) + 1

    # -- positions -------------------------------------------------------------------
    def _trim(self, item: _Item, w: int) -> tuple[int, int]:
        a, b = self.win.starts[w], self.win.ends[w]
        weights = unit_weights(item.scores, self.win, a, b)
        top = max(weights, default=0.0)
        if top <= 0:
            return a, a
        keep = [i for i, x in enumerate(weights) if x >= 0.2 * top]
        return a + keep[0], a + keep[-1]

    def _onset(self, item: _Item, a: int, floor: int = 0) -> int:
        """Where a title's topic starts, given ``a``, the start of its best-matching lines.

        Chapters are stamped where the topic starts: where its words begin to occur (the
        host's question usually names it), not where they are densest. The onset is the
        earliest line within ONSET_MAX_WORDS before ``a`` that, with the next line (a
        phrase may be split across caption lines), holds at least ONSET_MASS of the
        title's idf mass; failing that, ``a``.
        """
        terms = item.scores.terms
        total = sum(terms.values())
        if total <= 0:
            return a
        toks = self.win.unit_tokens
        i = a
        while i > floor and self.cum[a] - self.cum[i - 1] <= ONSET_MAX_WORDS:
            i -= 1
        for u in range(i, a):
            seen = set(toks[u]) | set(toks[u + 1])
            if sum(v for t, v in terms.items() if t in seen) >= ONSET_MASS * total:
                return u
        return a

    def _unit_at_pos(self, pos: float) -> int:
        i = bisect_right(self.cum, pos) - 1
        return max(0, min(i, len(self.lines) - 1))

    def _window_at_unit(self, unit: int) -> int:
        i = bisect_right(self.win.starts, unit) - 1
        return max(0, min(i, self.win.count - 1))

    # -- time map --------------------------------------------------------------------
    def _fit(self, anchors: list[tuple[float, float, float]], rate0: float) -> TimeMap:
        """anchors: (time, position, score), sorted by time.

        Robust: repeatedly drops the anchor whose stamp disagrees most with the time its
        neighbours interpolate at its position (leave-one-out), while that exceeds
        LOO_MAX_S, or whose neighbours imply a negative or absurd speaking rate.
        """
        lo, hi = RATE_BAND[0] * rate0, RATE_BAND[1] * rate0
        pts = sorted(anchors)
        start = (0.0, 0.0, 1e9)
        end = [(self.given_duration, float(self.total), 1e9)] if self.given_duration else []
        while pts:
            seq = [start] + pts + end
            worst, worst_err = -1, LOO_MAX_S
            for j in range(1, len(pts) + 1):
                t, p, _ = seq[j]
                t0, p0, _ = seq[j - 1]
                if j + 1 < len(seq):
                    t1, p1, _ = seq[j + 1]
                    if p1 > p0:
                        est = t0 + (t1 - t0) * (p - p0) / (p1 - p0)
                    else:
                        est = (t0 + t1) / 2
                else:
                    # the last anchor, no duration: extrapolate at the rate the other
                    # anchors imply (rate0 is a guess; judged by it, sparse anchors such
                    # as chapter titles would be peeled off from the end one by one)
                    r = p0 / t0 if t0 >= 300.0 else rate0
                    est = t0 + (p - p0) / min(max(r, lo), hi)
                err = abs(est - t)
                dp, dt = p - p0, t - t0
                if dp < -RATE_SLACK_WORDS or dp > hi * dt + RATE_SLACK_WORDS or dp < lo * dt - RATE_SLACK_WORDS:
                    err = max(err, LOO_MAX_S + 1e-6)
                if err > worst_err:
                    worst, worst_err = j - 1, err
            if worst < 0:
                break
            self.rejected.add((pts[worst][0], pts[worst][1]))
            pts.pop(worst)
        points = [(0.0, 0.0)] + [(p, t) for t, p, _ in pts]
        if self.given_duration:
            points.append((float(self.total), self.given_duration))
            rate = self.total / self.given_duration
        elif len(pts) >= 2 and pts[-1][0] - pts[0][0] > 60:
            rate = (pts[-1][1]) / max(1.0, pts[-1][0])
        else:
            rate = rate0
        rate = min(max(rate, lo), hi)
        return TimeMap(points, rate)

    def _anchors(self, win_time: list[float], sigma: float) -> list[tuple[float, float, float]]:
        cands = []
        tops = []
        for i in self.order:
            it = self.items[i]
            if it.scores.n_terms <= SHORT_TERMS:
                # a title anchors only through its single best match near its stamp, at
                # reduced weight: the path and the leave-one-out check drop wrong ones
                top = [(w, c * SHORT_ANCHOR_WEIGHT, s) for w, c, s in _top(it, win_time, sigma, 1)]
            else:
                top = _top(it, win_time, sigma, CANDIDATES)
            tops.append(top)
            cands.append([(w, c) for w, c, _ in top])
        chosen = monotone_path(cands, self.win.count)
        anchors = []
        for k, i in enumerate(self.order):
            c = chosen[k]
            if c is None:
                continue
            w, _, s = tops[k][c]
            a, _ = self._trim(self.items[i], w)
            if self.items[i].scores.n_terms <= SHORT_TERMS:
                a = self._onset(self.items[i], a)
            anchors.append((self.items[i].claim.seconds, float(self.cum[a]), s))
        return anchors

    def _win_times(self, tmap: TimeMap | None) -> list[float]:
        if self.real is not None:
            return [self.real[a] for a in self.win.starts]
        assert tmap is not None
        return [tmap.time_at(self.cum[a]) for a in self.win.starts]

    # -- main ------------------------------------------------------------------------
    def run(self, n_summaries: int) -> Alignment:
        tmap: TimeMap | None = None
        if self.real is None:
            d0 = self.given_duration or max(self.total / WORDS_PER_SECOND, self.last_claim + 60.0)
            rate0 = self.total / d0
            tmap = TimeMap([(0.0, 0.0), (float(self.total), d0)], rate0)
            for sigma in (min(600.0, max(120.0, 0.1 * d0)), 120.0, 60.0):
                anchors = self._anchors(self._win_times(tmap), sigma)
                tmap = self._fit(anchors, rate0)
        win_time = self._win_times(tmap)
        sigma_f = TIMED_SIGMA if self.real is not None else FINAL_SIGMA

        if self.given_duration:
            end_time = self.given_duration
        elif self.real is not None:
            end_time = self.real[-1]
        else:
            end_time = tmap.time_at(self.total)  # type: ignore[union-attr]
        placed_at: dict[int, tuple[int, int, float, str, int]] = {}  # (start, end, score, status, window)
        prev_title: dict[int, tuple[float, int]] = {}  # summary -> (stamp, onset) of its last title
        for idx in self.order:
            it = self.items[idx]
            t = it.claim.seconds
            if self.real is not None:
                prior_unit = bisect_right(self.real, t) - 1
                prior_unit = max(0, min(prior_unit, len(self.lines) - 1))
            else:
                prior_unit = self._unit_at_pos(tmap.pos_at(t))  # type: ignore[union-attr]
            prior_w = self._window_at_unit(prior_unit)
            short = it.scores.n_terms <= SHORT_TERMS
            w, _, s = _best(it, win_time, SHORT_SIGMA if short else sigma_f, prior_w)
            fw, _, fs = _best(it, win_time, FAR_SIGMA, prior_w)
            status = "ok"
            if short:
                pass  # titles: placed by the prior, never contradicted by a word or two
            elif (
                fw != w
                and fs >= MISMATCH_MIN
                and fs >= max(MISMATCH_RATIO * s, s + MISMATCH_GAIN)
                and abs(win_time[fw] - t) > MISMATCH_S
                and it.scores.n_terms >= MISMATCH_TERMS
            ):
                w, s, status = fw, fs, "time_mismatch"
            elif s < SUPPORT_MIN:
                status = "unsupported"
            elif abs(win_time[w] - t) > MISMATCH_S * 1.5 and s >= MISMATCH_MIN:
                status = "time_mismatch"
            if t > end_time + MISMATCH_S and status == "ok":
                # stamped after the transcript ends: only a real match elsewhere counts
                status = "time_mismatch" if s >= MISMATCH_MIN and not short else "unsupported"
            # titles tile the episode: a later-stamped title starts after the previous
            # one (a chapter named in the intro must not land on the intro)
            # (at least TILE_MIN_RATE x the map's rate x the stamps' gap words later)
            floor = -1
            if short and it.summary in prev_title and prev_title[it.summary][0] < t:
                t0, u0 = prev_title[it.summary]
                gap = 0.0 if tmap is None else TILE_MIN_RATE * tmap.rate * (t - t0)
                floor = max(u0 + 1, self._unit_at_pos(self.cum[u0] + gap))
            if s > 0 and not (short and s < SUPPORT_MIN):
                a, b = self._trim(it, w)
                if short:
                    a = self._onset(it, a)
                    if a < floor:
                        w2, _, s2 = _best(it, win_time, SHORT_SIGMA, None, self._window_at_unit(floor) + 1)
                        if w2 >= 0 and s2 >= SUPPORT_MIN:
                            w, s = w2, s2
                            a, b = self._trim(it, w)
                            a = self._onset(it, max(a, floor), floor)
                if short and abs(a - prior_unit) > 0:
                    a = b = a if abs(win_time[w] - t) <= SHORT_SIGMA else prior_unit
            else:
                a = b = prior_unit
            if short and floor >= 0 and a < floor:
                a = b = min(max(floor, prior_unit), len(self.lines) - 1)
            if short:
                prev_title[it.summary] = (t, a)
            placed_at[idx] = (a, b, s, status, w)
        placed = [placed_at[i] for i in range(len(self.items))]

        # final unit times: through confident ok placements on a monotone path
        if self.real is not None:
            unit_seconds = list(self.real)
            duration = self.given_duration or (unit_seconds[-1] if unit_seconds else 0.0)
        else:
            cands = []
            for i in self.order:
                a, b, s, status, w = placed[i]
                ok = status == "ok" and s >= ANCHOR_MIN
                cands.append([(a, s)] if ok else [])
            chosen = monotone_path(cands, max(1, len(self.lines)))
            anchors = [
                (self.items[i].claim.seconds, float(self.cum[placed[i][0]]), placed[i][2])
                for k, i in enumerate(self.order)
                if chosen[k] is not None
            ]
            rate0 = tmap.rate  # type: ignore[union-attr]
            tmap = self._fit(anchors, rate0)
            unit_seconds = [tmap.time_at(self.cum[i]) for i in range(len(self.lines))]
            run = 0.0
            for i, v in enumerate(unit_seconds):
                run = max(run, v)
                unit_seconds[i] = run
            duration = self.given_duration or max(tmap.time_at(self.total), self.last_claim)

        out: list[list[ClaimAlignment]] = [[] for _ in range(n_summaries)]
        for it, (a, b, s, status, _) in zip(self.items, placed):
            out[it.summary].append(
                ClaimAlignment(it.claim, a, b, unit_seconds[a], round(s, 4), status)
            )
        return Alignment(unit_seconds, self.real is None, float(duration), out)


def align(transcript: Transcript, summaries: list[Summary], duration_s: float | None = None) -> Alignment:
    """Align summary claims to transcript units and estimate every unit's time. Pure."""
    if not transcript.lines:
        duration = duration_s or max((c.seconds for s in summaries for c in s.claims), default=0.0)
        return Alignment(
            [],
            not transcript.timed,
            float(duration),
            [[ClaimAlignment(c, 0, 0, c.seconds, 0.0, "unsupported") for c in s.claims] for s in summaries],
        )
    return _Engine(transcript, summaries, duration_s).run(len(summaries))
