"""The sync engine: claims -> transcript ranges, transcript units -> times.

Before anything, stamps are read as the summary means them (stamps.py: ``MM:SS:00``).

Passes (untimed transcripts):
  1. score every claim against the windows near its prior (BM25, see scoring.py); without
     a duration, a probe of a few claims against the whole transcript first measures the
     speaking rate, so the band around each prior stays narrow (cost linear in length);
     a chapter list too short for the probe takes the rate its titles' matches agree on;
  2. anchors: for each claim the best windows near its timestamp's position under the
     current time map; a monotone path over claims sorted by timestamp (path.py) keeps
     the chronologically consistent ones; anchors whose stamp disagrees with their
     neighbours, or whose local speaking rate is absurd, are dropped. Repeated with a
     narrowing prior, starting from a single global rate; with enough claims, the next
     pass looks near the smoothed map (smooth.py);
  3. with a duration, a chapter list's anchors must earn their place: if the uniform
     clock predicts their stamps as well, the clock it is (``_earned``) and each title is
     placed at its topic onset near it (``_place_title``); ``0:00`` is the first line;
  4. every claim is placed by text + a prior around its timestamp's mapped position;
     a much better match a few minutes away makes it ``time_mismatch``; too little
     support makes it ``unsupported`` (placed at its stamp on the final map);
  5. unit times: the clock plus the drift the final confident, monotone placements
     observe, Kalman-smoothed (smooth.py), which also gives each unit's uncertainty.
Timed transcripts keep their times; claims are placed by text + a prior on real time,
and start at the line spoken at their stamp unless the text contradicts it.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from math import isfinite

from reader.model import Alignment, Claim, ClaimAlignment, Summary, Transcript

from .path import monotone_path
from .scoring import (
    WINDOW_WORDS,
    ClaimScores,
    Windows,
    build_windows,
    score_claim,
    tokens,
    unit_weights,
)
from .smooth import Smoothed, smooth
from .stamps import read_stamps
from .timing import WORDS_PER_SECOND, TimeMap, fill_times

ENGINE_VERSION = "8"

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
BAND_FRAC = (0.1, 0.25)  # ...plus this share of t for the rate's error (probe-measured, guessed)
BAND_NARROW = 900.0  # ...or this, when the rate is known (a duration, or measured by a probe)
PROBE_CLAIMS = 24  # claims scored against the whole transcript to measure the rate
PROBE_MIN = 6  # ...at least this many, and as many on the path
PROBE_CANDIDATES = 12  # best matches of each offered to the path (a phrase may recur)
PROBE_MIN_S = 120.0  # ...stamped at least this far in
TITLE_AGREE = 2  # a chapter list's rate needs this many titles agreeing on it
SHORT_SIGMA = 20.0  # titles: the time prior wins
ONSET_MAX_WORDS = 250  # a title's topic onset is looked for this far before its best lines
ONSET_MASS = 0.5  # ...as the first line holding this share of the title's idf mass
TILE_MIN_RATE = 0.5  # a title starts this x the speaking rate x its stamp gap after the last
# the prior of a title's placement (_error_model): between two anchors the error of a
# line's time grows like a Brownian bridge, var = ANCHOR_SD^2 + kappa * d1 * d2 / (d1 + d2)
# (d1, d2: seconds to the anchors either side); beyond the last one, without a duration,
# kappa * d plus the rate's error. kappa is measured on the anchors (leave-one-out) when
# there are KAPPA_MIN_ANCHORS, else KAPPA_DEFAULT (1 s: ~21 s at the middle of 30 minutes).
# The final map's uncertainty is the smoother's (smooth.py).
KAPPA_DEFAULT = 1.0
KAPPA_RANGE = (0.05, 5.0)
KAPPA_MIN_ANCHORS = 8
EARN_SHARE = 0.8  # the anchored map must beat the clock's median error by this factor
ANCHOR_SD = 3.0
RATE_PRIOR_SD = 0.15  # relative spread of speaking rates between people (~155 +- 25 words/min)
MAX_DURATION_S = 7 * 24 * 3600.0  # a week: longer is not an episode
STAMP_NOTE_MIN = 5  # a summary with fewer claims says little about its stamps
STAMP_NOTE_SHARE = 0.25  # ...this share landing elsewhere or nowhere is worth saying
ROUGH_S = 60.0  # estimated times that may be off by more than this are "rough"
# titles (chapter lists): placed at the best topic onset near the map's time for the
# stamp, scored as log-likelihoods: the time prior (the map's own uncertainty), a
# sentence start, a speaker turn, a lexical-cohesion dip (TextTiling) and the title's
# words plus those co-occurring with them (pseudo-relevance feedback) starting there
TILE_WORDS = 60  # words either side compared for lexical cohesion
ONSET_WORDS = 120  # words either side where the title's terms are counted
PRF_TERMS = 8  # co-occurring terms added to a title's own
PRF_WEIGHT = 0.5
TITLE_SIGMA_MIN = 8.0
TITLE_SD = 10.0  # a placed title onset is off by about this at least (rms on the dev lists: 9.5 s)
W_SENTENCE, W_TURN, W_DEPTH, W_LEXICAL, W_MENTION = 1.0, 1.0, 1.0, 1.5, 1.0


@dataclass(slots=True)
class _Item:
    summary: int
    claim: Claim
    scores: ClaimScores
    sorted_ws: list[int] | None = None
    sorted_ss: list[float] | None = None
    max_s: float = 0.0
    strong: tuple[list[int], list[float]] | None = None  # windows scoring >= ANCHOR_MIN, in order


def _sorted(item: _Item) -> tuple[list[int], list[float], float]:
    """The claim's scored windows in window order, their scores, and the best score."""
    if item.sorted_ws is None:
        sc = item.scores.scores
        ws = sorted(sc)
        item.sorted_ws = ws
        item.sorted_ss = ss = [sc[w] for w in ws]
        item.max_s = max(ss, default=0.0)
        strong = [(w, v) for w, v in zip(ws, ss, strict=True) if v >= ANCHOR_MIN]
        item.strong = ([w for w, _ in strong], [v for _, v in strong])
    return item.sorted_ws, item.sorted_ss, item.max_s  # type: ignore[return-value]


def _near(item: _Item, win_time: list[float], t: float, radius: float):
    """(window, score) pairs of the claim whose window time is within ``radius`` of t
    (window times never decrease, so two bisections bound them)."""
    ws, ss, _ = _sorted(item)
    lo_w = bisect_left(win_time, t - radius)
    hi_w = bisect_right(win_time, t + radius)
    i, j = bisect_left(ws, lo_w), bisect_left(ws, hi_w)
    return zip(ws[i:j], ss[i:j])


def _best(
    item: _Item, win_time: list[float], sigma: float, extra: int | None = None, first: int = 0
) -> tuple[int, float, float]:
    """(window, combined, raw score) maximising score - LAMBDA * dt^2 / 2 sigma^2, over
    windows numbered ``first`` or more (and ``extra``). With ``extra`` (the prior's own
    window), windows too far for even the best score to beat it are not looked at: the
    same answer, at a cost that does not grow with the band."""
    t = item.claim.seconds
    k = LAMBDA * 0.5 / (sigma * sigma)
    best_w, best_c, best_s = -1, float("-inf"), 0.0
    if extra is not None:
        d = win_time[extra] - t
        best_w, best_s = extra, item.scores.scores.get(extra, 0.0)
        best_c = best_s - k * d * d
        radius = ((_sorted(item)[2] - best_c) / k) ** 0.5 + 1e-6
        pairs = _near(item, win_time, t, radius)
    else:
        pairs = item.scores.scores.items()
    for w, s in pairs:
        if w < first:
            continue
        d = win_time[w] - t
        c = s - k * d * d
        if c > best_c or (c == best_c and w < best_w):
            best_w, best_c, best_s = w, c, s
    return best_w, best_c, best_s


def _top(item: _Item, win_time: list[float], sigma: float, n: int) -> list[tuple[int, float, float]]:
    t = item.claim.seconds
    k = LAMBDA * 0.5 / (sigma * sigma)
    scored = []
    radius = (max(0.0, _sorted(item)[2]) / k) ** 0.5 + 1e-6  # beyond: combined <= 0, never kept
    ws, ss = item.strong  # type: ignore[misc]  # only windows that may anchor: the same answer
    lo_w = bisect_left(win_time, t - radius)
    hi_w = bisect_right(win_time, t + radius)
    i, j = bisect_left(ws, lo_w), bisect_left(ws, hi_w)
    for w, s in zip(ws[i:j], ss[i:j], strict=True):
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
        self.units = transcript.units
        n = len(self.units)
        self.wc = [max(1, len(line.text.split())) for line in self.units]
        self.cum = [0] * (n + 1)
        for i, c in enumerate(self.wc):
            self.cum[i + 1] = self.cum[i] + c
        self.total = self.cum[n]
        self.timed = transcript.timed and any(line.start is not None for line in self.units)
        self.win: Windows = build_windows([line.text for line in self.units], self.cum)
        self.given_duration = duration_s if duration_s and duration_s > 0 else None
        if self.given_duration is None and transcript.timed:
            self.given_duration = transcript.last_time
        self.real: list[float] | None = None
        if self.timed:
            self.real = fill_times([line.start for line in self.units])
        last = max((c.seconds for s in summaries for c in s.claims), default=0.0)
        self.rate_guess: float | None = None
        self.probe_drift: list[tuple[float, float]] = []  # (stamp, |clock - match| s) of the probe
        self.title_rate_n = 0  # titles agreeing on the rate (_title_rate), 0 when not used
        if self.real is None and not self.given_duration:
            self.rate_guess = self._probe_rate([c for s in summaries for c in s.claims], last)
            if self.rate_guess is None:
                self.rate_guess = self._title_rate([c for s in summaries for c in s.claims], last)
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
        self.fit_points: list[tuple[float, float]] = []
        self.used_clock = False
        self.held_out: list[tuple[float, float]] = []  # (stamp, position) the clock beat
        self.hyper: tuple[float, float] | None = None  # (kappa, sd) of the last smoothing
        self.title_points: set[tuple[float, float]] = set()
        self._features()

    def _band(self, t: float, last_claim: float) -> tuple[int, int]:
        """Windows a claim stamped ``t`` is scored against: those within BAND_S (plus a
        share of t, for speaking-rate drift) of its prior under one global rate (or the
        real times). Far outside, the time prior rules any match out anyway, so this
        changes no result and makes the cost linear in transcript length x claims/hour."""
        # with a duration the rate is exact and the clock's error is the local drift
        # (LeCun's 2 h 47: p90 139 s), well inside the band: no share of t is added, so
        # the band, hence the cost per claim, is the same at every time (same answers on
        # the seed, LeCun, the dev set and the 10 h synthetic). A rate measured by a
        # probe can be a few % off (1-5% on those), an error growing with t: a capped share
        band = BAND_NARROW if self.given_duration or self.rate_guess else BAND_S
        if self.given_duration:
            half = band
        elif self.rate_guess and self.probe_drift:
            # the drift the probe's matches show around t (interpolated; beyond the last
            # probe claim, a capped share of the distance too): the band follows the
            # evidence, so it stays the same width where the clock agrees with the probe
            pd = self.probe_drift
            i = bisect_right(pd, (t, float("inf")))
            if i == 0:
                seen = pd[0][1] * t / max(1.0, pd[0][0])
            elif i == len(pd):
                seen = pd[-1][1] + BAND_FRAC[0] * (t - pd[-1][0])
            else:
                (t0, d0), (t1, d1) = pd[i - 1], pd[i]
                seen = max(d0, d1) if t1 <= t0 else d0 + (d1 - d0) * (t - t0) / (t1 - t0)
            half = band + min(band, seen)
        else:
            frac = BAND_FRAC[0] if self.rate_guess else BAND_FRAC[1]
            half = band + min(band, frac * max(0.0, t))
        if self.real is not None:
            a = bisect_right(self.real, t - half) - 1
            b = bisect_right(self.real, t + half)
        else:
            if self.rate_guess:
                rate = self.rate_guess
            else:
                d0 = self.given_duration or max(self.total / WORDS_PER_SECOND, last_claim + 60.0)
                rate = self.total / d0
            a = self._unit_at_pos(max(0.0, (t - half) * rate))
            b = self._unit_at_pos((t + half) * rate)
        return self._window_at_unit(max(0, a)), self._window_at_unit(min(len(self.units) - 1, b)) + 1

    def _title_rate(self, claims: list[Claim], last: float) -> float | None:
        """Without a duration and without enough long claims for the probe (a chapter
        list): the speaking rate the titles' own matches agree on. Each title's best
        matches anywhere in the transcript (position p, stamp t) propose a rate p / t; a
        rate counts only when at least TITLE_AGREE titles have a match within one window
        (WINDOW_WORDS, the text's resolution) of where it puts them, so one title's
        chance match never sets it (leave-one-out in spirit: every title is judged by
        the others). Most titles agreeing, then the most score; the rate is then the
        least-squares fit through the agreeing matches. None when no two agree."""
        cands = sorted((c for c in claims if c.seconds >= PROBE_MIN_S), key=lambda c: c.seconds)
        if len(cands) < TITLE_AGREE:
            return None
        step = max(1, len(cands) // PROBE_CLAIMS)
        cands = cands[::step][:PROBE_CLAIMS]
        typical = WORDS_PER_SECOND
        lo = RATE_BAND[0] * typical
        # the last stamp bounds the length
        hi = min(RATE_BAND[1] * typical, self.total / max(1.0, last))
        matches = []
        for c in cands:
            out = self._top_windows(c.text)
            matches.append((c.seconds, [(float(self.cum[self.win.starts[w]]), v) for w, v in out]))
        tol = float(WINDOW_WORDS)
        best_key: tuple[int, float] | None = None
        best_fit: list[tuple[float, float, float]] = []
        for t, ms in matches:
            for p, _ in ms:
                r = p / t
                if not (lo <= r <= hi):
                    continue
                fit: list[tuple[float, float, float]] = []
                for t2, ms2 in matches:
                    near = [(v2, p2) for p2, v2 in ms2 if abs(p2 - r * t2) <= tol]
                    if near:
                        v2, p2 = max(near)
                        fit.append((t2, p2, v2))
                key = (len(fit), sum(v for _, _, v in fit))
                if best_key is None or key > best_key:
                    best_key, best_fit = key, fit
        if best_key is None or best_key[0] < TITLE_AGREE:
            return None
        r = sum(v * p * t for t, p, v in best_fit) / sum(v * t * t for t, _, v in best_fit)
        self.title_rate_n = best_key[0]
        return min(max(r, lo), hi)

    def _top_windows(self, text: str) -> list[tuple[int, float]]:
        """The PROBE_CANDIDATES best-scoring windows for ``text`` anywhere in the
        transcript, at least 3 windows apart: (window, score), best first."""
        sc = score_claim(text, self.win)
        best = sorted(((v, w) for w, v in sc.scores.items() if v >= ANCHOR_MIN), reverse=True)
        out: list[tuple[int, float]] = []
        for v, w in best:
            if all(abs(w - o) > 2 for o, _ in out):
                out.append((w, v))
            if len(out) >= PROBE_CANDIDATES:
                break
        return out

    def _probe_rate(self, claims: list[Claim], last: float) -> float | None:
        """Without a duration, the speaking rate a few claims measure before the others
        are scored: PROBE_CLAIMS long claims spread over the stamps are scored against
        the whole transcript, a monotone path keeps the chronologically consistent best
        matches, and their median words-per-second is the rate. The typical rate
        (WORDS_PER_SECOND) can be 40% off; this lets every other claim be scored in a
        narrow band around its place, so the cost stays linear in the transcript."""
        cands = sorted((c for c in claims if c.seconds >= PROBE_MIN_S and len(set(tokens(c.text))) >= MISMATCH_TERMS),
                       key=lambda c: c.seconds)
        if len(cands) < PROBE_MIN:
            return None
        step = max(1, len(cands) // PROBE_CLAIMS)
        probe = cands[::step][:PROBE_CLAIMS]
        tops = [self._top_windows(c.text) for c in probe]
        chosen = monotone_path(tops, self.win.count)
        rates = sorted(
            self.cum[self.win.starts[tops[k][ch][0]]] / c.seconds
            for k, (c, ch) in enumerate(zip(probe, chosen))
            if ch is not None
        )
        if len(rates) < PROBE_MIN:
            return None
        rate = rates[len(rates) // 2]
        typical = WORDS_PER_SECOND
        if not (RATE_BAND[0] * typical <= rate <= RATE_BAND[1] * typical):
            return None
        rate = min(rate, self.total / max(1.0, last))  # the last stamp is a lower bound on the length
        # how far the clock at this rate is from the probe's own matches (seconds), to
        # widen each claim's band by the drift the probe saw near it (not by a share of t)
        self.probe_drift = sorted(
            (c.seconds, abs(c.seconds - self.cum[self.win.starts[tops[k][ch][0]]] / rate))
            for k, (c, ch) in enumerate(zip(probe, chosen, strict=True))
            if ch is not None
        )
        return rate

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

    def _stamp_unit(self, claim: Claim) -> int:
        """Timed transcripts: the line spoken at the claim's stamp, or just after it (a
        stamp in whole seconds means somewhere in that second; a stamp in a pause between
        cues means the next cue)."""
        real = self.real
        assert real is not None
        t = claim.seconds
        n = len(real)
        u = max(0, min(bisect_right(real, t) - 1, n - 1))
        res = 1.0 if float(t).is_integer() else 0.0
        end = self.units[u].end
        if u + 1 < n and real[u] < t and (real[u + 1] - t < res or (end is not None and end <= t)):
            u += 1
        return u

    def _shares_window(self, item: _Item, u: int, a: int) -> bool:
        """Is there a window holding both units u and a in which the claim is supported?"""
        lo, hi = min(u, a), max(u, a)
        # windows containing ``hi`` start at or before ``lo`` and end at or after ``hi``
        w = self._window_at_unit(lo)
        while w >= 0 and self.win.ends[w] >= hi:
            if item.scores.scores.get(w, 0.0) >= SUPPORT_MIN:
                return True
            w -= 1
        return False

    def _unit_at_pos(self, pos: float) -> int:
        i = bisect_right(self.cum, pos) - 1
        return max(0, min(i, len(self.units) - 1))

    def _window_at_unit(self, unit: int) -> int:
        i = bisect_right(self.win.starts, unit) - 1
        return max(0, min(i, self.win.count - 1))


    def _smoothed(self, tmap: TimeMap, search: bool = True) -> tuple[TimeMap, Smoothed]:
        """The clock plus the smoothed drift the kept anchors observe. ``search``: choose
        kappa and the anchors' error afresh (else reuse the last choice, if any)."""
        if self.given_duration:
            rate = self.total / self.given_duration
            end = float(self.given_duration)
        else:
            rate = tmap.rate
            end = None
        # a chapter title's onset is found to TITLE_SD at best: the smoother never takes
        # its stamp as more precise than that (seed/LeCun chapter lists: line median
        # 10.7 -> 9.1 s and 18.5 -> 18.2 s against trusting titles like claims)
        obs = [(p / rate, t - p / rate, TITLE_SD if (t, p) in self.title_points else 0.0)
               for t, p in self.fit_points]
        sm = smooth(obs, end, None if search else self.hyper)
        self.hyper = (sm.kappa, sm.sd)
        points = [(0.0, 0.0)]
        for s, m in zip(sm.s[1:], sm.mean[1:]):
            points.append((s * rate, s + m))
        if end is None and self.fit_points:
            pass  # beyond the last anchor the drift stays where it was: the clock's rate
        elif end is not None:
            points.append((float(self.total), float(self.given_duration)))
        return TimeMap(points, rate), sm

    def _sd_smoothed(self, sm: Smoothed, t: float, claims: int) -> float:
        """sd of a time t of the final map (``claims``: anchors that are not titles);
        without a duration the rate's own error adds: people's rates when nothing
        measured it, else the error of the rate measured over the anchors' span."""
        s = t  # clock time and map time differ by the drift, seconds: close enough here
        _, var = sm.at(s)
        if sm.end_pinned:
            return var**0.5
        if claims < KAPPA_MIN_ANCHORS:
            # nothing but a guess (or chapter titles found near the guess) measured the
            # speaking rate: people's rates differ by RATE_PRIOR_SD
            var += (RATE_PRIOR_SD * s) ** 2
        elif s > sm.s[-1]:
            d = s - sm.s[-1]
            var += sm.kappa * d * d / max(60.0, sm.s[-1])  # the measured rate's own error
        return var**0.5

    # -- uncertainty -------------------------------------------------------------------
    def _error_model(self, tmap: TimeMap) -> tuple[list[float], bool, float]:
        """(anchor times incl. 0 and a pinned end, end pinned?, kappa) of the last fit."""
        times = [0.0] + [tmap.time_at(p) for _, p in self.fit_points]
        ends = bool(self.given_duration)
        if ends:
            times.append(float(self.given_duration))  # type: ignore[arg-type]
        times = sorted(set(times))
        # kappa from the anchors themselves: leave-one-out residual against the bridge
        pts = [(0.0, 0.0)] + sorted((p, t) for t, p in self.fit_points)
        if ends:
            pts.append((float(self.total), float(self.given_duration)))  # type: ignore[arg-type]
        ratios = []
        for j in range(1, len(pts) - 1):
            (p0, t0), (p, t), (p1, t1) = pts[j - 1], pts[j], pts[j + 1]
            if p1 <= p0 or t1 <= t0 or not (t0 < t < t1):
                continue
            est = t0 + (t1 - t0) * (p - p0) / (p1 - p0)
            bridge = (t - t0) * (t1 - t) / (t1 - t0)
            if bridge > 1.0:
                ratios.append(max(0.0, (est - t) ** 2 - 2 * ANCHOR_SD**2) / bridge)
        kappa = KAPPA_DEFAULT
        if len(ratios) >= KAPPA_MIN_ANCHORS:
            ratios.sort()
            kappa = ratios[len(ratios) // 2] / 0.455  # median of chi-square(1) is 0.455
            kappa = min(max(kappa, KAPPA_RANGE[0]), KAPPA_RANGE[1])
        return times, ends, kappa

    def _earned(self, tmap: TimeMap, rate0: float) -> TimeMap:
        """The anchored map only where it earns its place: unless the anchored map, without
        each anchor in turn (leave-one-out), predicts the anchors' stamps clearly better
        than the uniform clock does (median error under EARN_SHARE of the clock's), the
        clock it is (the simpler model wins a tie; anchors dropped)."""
        pts = sorted((p, t) for t, p in self.fit_points)
        if len(pts) < 2:
            return tmap
        ends = [(0.0, 0.0)] + pts
        if self.given_duration:
            ends.append((float(self.total), float(self.given_duration)))
            rate = self.total / self.given_duration
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
            return TimeMap([(0.0, 0.0), (float(self.total), self.total / rate)], rate)
        return tmap

    @staticmethod
    def _sd_at(model: tuple[list[float], bool, float], tau: float) -> float:
        times, ends, kappa = model
        i = bisect_right(times, tau) - 1
        if i < 0:
            return ANCHOR_SD
        t0 = times[i]
        if i + 1 < len(times):
            t1 = times[i + 1]
            var = kappa * (tau - t0) * (t1 - tau) / max(1e-9, t1 - t0)
        else:
            d = tau - t0
            span = max(60.0, t0)
            var = kappa * d * (1.0 + d / span)  # random walk plus the rate's own error
        sd = (ANCHOR_SD**2 + var) ** 0.5
        return 0.0 if i == 0 and tau <= 0 else sd

    # -- titles ------------------------------------------------------------------------
    def _features(self) -> None:
        """Per unit: starts a sentence? starts a speaker turn?"""
        n = len(self.units)
        self.sent = [True] + [False] * (n - 1)
        self.turn = [True] + [False] * (n - 1)
        for u in range(1, n):
            prev, cur = self.units[u - 1], self.units[u]
            end = prev.text.rstrip().rstrip('"\'”’)]')
            self.sent[u] = end.endswith((".", "?", "!", "…")) or (cur.text[:1].isupper() and end.endswith((":",)))
            self.turn[u] = cur.speaker is not None and cur.speaker != prev.speaker
        self.has_turns = any(self.turn[1:])

    def _span_tokens(self, a: int, words: int, forward: bool) -> dict[str, int]:
        out: dict[str, int] = {}
        n = len(self.units)
        got = 0
        u = a if forward else a - 1
        while 0 <= u < n and got < words:
            for t in self.win.unit_tokens[u]:
                out[t] = out.get(t, 0) + 1
            got += self.wc[u]
            u += 1 if forward else -1
        return out

    def _prf(self, item: _Item, win_time: list[float], t: float, half: float) -> dict[str, float]:
        """The title's terms plus the terms co-occurring with them in its best windows near t."""
        terms = dict(item.scores.terms)
        best = sorted(
            ((s, w) for w, s in item.scores.scores.items() if abs(win_time[w] - t) <= half),
            reverse=True,
        )[:3]
        if not best:
            return terms
        tf: dict[str, float] = {}
        for _, w in best:
            for u in range(self.win.starts[w], self.win.ends[w] + 1):
                for tok in self.win.unit_tokens[u]:
                    if tok not in terms:
                        tf[tok] = tf.get(tok, 0.0) + 1.0
        idf = self.win.idf
        scored = sorted(((v * idf.get(k, 0.0), k) for k, v in tf.items() if v >= 2), reverse=True)
        top = max(terms.values(), default=1.0)
        for _, k in scored[:PRF_TERMS]:
            terms[k] = PRF_WEIGHT * min(idf.get(k, 0.0), top)
        return terms

    def _place_title(self, item: _Item, t: float, tmap: TimeMap, win_time: list[float], model, floor: int) -> int:
        """The unit where a chapter title's topic starts: near the map's time for its stamp."""
        n = len(self.units)
        floor = max(0, floor)
        if t <= 0.5:
            return min(floor, n - 1)  # 0:00 is the start
        sig = max(TITLE_SIGMA_MIN, self._sd_at(model, t))
        a = max(floor, self._unit_at_pos(tmap.pos_at(max(0.0, t - 3 * sig))))
        b = max(a, self._unit_at_pos(tmap.pos_at(t + 3 * sig)))
        b = min(b, n - 1)
        if a >= n:
            return n - 1
        terms = self._prf(item, win_time, t, max(3 * sig, 120.0))
        lex, dis = [], []
        for u in range(a, b + 1):
            after = self._span_tokens(u, ONSET_WORDS, True)
            before = self._span_tokens(u, ONSET_WORDS, False)
            lex.append(sum(v * (min(after.get(k, 0), 3) - min(before.get(k, 0), 3)) for k, v in terms.items()))
            aa = self._span_tokens(u, TILE_WORDS, True)
            bb = self._span_tokens(u, TILE_WORDS, False)
            dot = sum(v * bb.get(k, 0) for k, v in aa.items())
            na = sum(v * v for v in aa.values()) ** 0.5
            nb = sum(v * v for v in bb.values()) ** 0.5
            dis.append(1.0 - (dot / (na * nb) if na and nb else 0.0))
        own = item.scores.terms
        own_total = sum(own.values())
        toks = self.win.unit_tokens
        lmax = max((abs(x) for x in lex), default=0.0) or 1.0
        dlo, dhi = min(dis), max(dis)
        best_u, best_v = a, float("-inf")
        for k, u in enumerate(range(a, b + 1)):
            dt = tmap.time_at(self.cum[u]) - t
            v = -0.5 * (dt / sig) ** 2
            v += W_SENTENCE * self.sent[u] + W_TURN * self.turn[u]
            v += W_DEPTH * ((dis[k] - dlo) / (dhi - dlo) if dhi > dlo else 0.0)
            v += W_LEXICAL * lex[k] / lmax
            if own_total > 0:  # the title's own words said here (this line or the next)
                seen = set(toks[u]) | (set(toks[u + 1]) if u + 1 < n else set())
                v += W_MENTION * (sum(x for tk, x in own.items() if tk in seen) >= ONSET_MASS * own_total)
            if v > best_v:
                best_u, best_v = u, v
        return best_u

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
            if dp < -RATE_SLACK_WORDS or dp > hi * dt + RATE_SLACK_WORDS or dp < lo * dt - RATE_SLACK_WORDS:
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
        pts = [seq[j] for j in range(1, m + 1) if alive[j]]
        points = [(0.0, 0.0)] + [(p, t) for t, p, _ in pts]
        self.fit_points = [(t, p) for t, p, _ in pts]
        if self.given_duration:
            points.append((float(self.total), self.given_duration))
            rate = self.total / self.given_duration
        elif self.title_rate_n and self.rate_guess:
            # a chapter list's rate, agreed on by several titles: beyond the last title
            # the clock runs at it, not at the rate the last title's placement implies
            # (one title, placed by a word or two: groups' last onset is 32 s early)
            rate = self.rate_guess
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
        self.title_points = set()
        for k, i in enumerate(self.order):
            c = chosen[k]
            if c is None:
                continue
            w, _, s = tops[k][c]
            a, _ = self._trim(self.items[i], w)
            if self.items[i].scores.n_terms <= SHORT_TERMS:
                a = self._onset(self.items[i], a)
                self.title_points.add((self.items[i].claim.seconds, float(self.cum[a])))
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
            d0 = self.given_duration or max(self.total / (self.rate_guess or WORDS_PER_SECOND), self.last_claim + 60.0)
            rate0 = self.total / d0
            tmap = TimeMap([(0.0, 0.0), (float(self.total), d0)], rate0)
            for sigma in (min(600.0, max(120.0, 0.1 * d0)), 120.0, 60.0):
                anchors = self._anchors(self._win_times(tmap), sigma)
                tmap = self._fit(anchors, rate0)
                if sum(1 for tp in self.fit_points if tp not in self.title_points) >= KAPPA_MIN_ANCHORS:
                    # enough claims to measure the drift: the next pass looks near the
                    # smoothed map (a chapter list alone is left to the plain fit)
                    tmap, _ = self._smoothed(tmap, search=self.hyper is None)
            if self.given_duration:  # the clock is a model only when both ends are known
                tmap = self._earned(tmap, rate0)
        win_time = self._win_times(tmap)
        sigma_f = TIMED_SIGMA if self.real is not None else FINAL_SIGMA

        if self.given_duration:
            end_time = self.given_duration
        elif self.real is not None:
            end_time = self.real[-1]
        else:
            end_time = tmap.time_at(self.total)  # type: ignore[union-attr]
        model = self._error_model(tmap) if tmap is not None else None
        placed_at: dict[int, tuple[int, int, float, str, int]] = {}  # (start, end, score, status, window)
        prev_title: dict[int, tuple[float, int]] = {}  # summary -> (stamp, onset) of its last title
        by_prior: set[int] = set()  # claims placed by their stamp alone: placed again on the final map
        for idx in self.order:
            it = self.items[idx]
            t = it.claim.seconds
            if self.real is not None:
                prior_unit = bisect_right(self.real, t) - 1
                prior_unit = max(0, min(prior_unit, len(self.units) - 1))
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
            if short and tmap is not None and t <= 0.5:
                a = b = 0  # 0:00 is the start
            elif short and tmap is not None and self.used_clock:
                fl = prev_title[it.summary][1] + 1 if it.summary in prev_title and prev_title[it.summary][0] < t else 0
                a = b = self._place_title(it, t, tmap, win_time, model, fl)
            elif s >= SUPPORT_MIN or (s > 0 and status == "time_mismatch"):
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
                    if abs(win_time[w] - t) > SHORT_SIGMA:
                        a = b = prior_unit
                        by_prior.add(idx)
            else:
                a = b = prior_unit
                by_prior.add(idx)
            if short and tmap is None and floor >= 0 and a < floor:
                a = b = min(max(floor, prior_unit), len(self.units) - 1)
            if self.real is not None and status == "ok" and w >= 0:
                # timed: the stamp and the line times are both real. Text evidence comes
                # in windows (~WINDOW_WORDS): when the line spoken at the stamp lies in
                # the matched window or range, or shares a supporting window with the
                # match's first line, the text does not contradict the stamp, and the
                # stamp is the more precise of the two
                # (a title's word or two never clearly says otherwise: it starts at its stamp)
                u = self._stamp_unit(it.claim)
                inside = min(a, self.win.starts[w]) <= u <= max(b, self.win.ends[w])
                if short or inside or self._shares_window(it, u, a):
                    a, b = u, max(b, u)
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
                title = self.items[i].scores.n_terms <= SHORT_TERMS
                ok = status == "ok" and (s >= ANCHOR_MIN or title)
                cands.append([(a, s)] if ok else [])
            chosen = monotone_path(cands, max(1, len(self.units)))
            anchors = []
            self.title_points = set()
            for k, i in enumerate(self.order):
                if chosen[k] is None:
                    continue
                t, p = self.items[i].claim.seconds, float(self.cum[placed[i][0]])
                anchors.append((t, p, placed[i][2]))
                if self.items[i].scores.n_terms <= SHORT_TERMS:
                    self.title_points.add((t, p))
            rate0 = tmap.rate  # type: ignore[union-attr]
            tmap = self._fit(anchors, rate0)
            tmap, sm = self._smoothed(tmap)
            if self.used_clock and self.held_out:
                # the titles placed near the clock bend it only if the bent map fits the
                # titles' own matches (held out when the clock won) better than the clock
                rate_c = self.total / float(self.given_duration)  # type: ignore[arg-type]
                e_map = [abs(tmap.time_at(p) - t) for t, p in self.held_out]
                e_clk = [abs(p / rate_c - t) for t, p in self.held_out]
                if sum(e_map) > sum(e_clk):  # mean absolute error, the held-out points being few
                    self.fit_points = []
                    tmap, sm = self._smoothed(TimeMap([(0.0, 0.0), (float(self.total), float(self.given_duration))], rate_c))
            unit_seconds = [tmap.time_at(self.cum[i]) for i in range(len(self.units))]
            run = 0.0
            for i, v in enumerate(unit_seconds):
                run = max(run, v)
                unit_seconds[i] = run
            duration = self.given_duration or max(tmap.time_at(self.total), self.last_claim)

        if self.real is None and by_prior:
            for i in by_prior:
                a, b, sc, status, w = placed[i]
                u = bisect_right(unit_seconds, self.items[i].claim.seconds) - 1
                u = max(0, min(u, len(self.units) - 1))
                placed[i] = (u, u, sc, status, w)

        # how far each unit's time may be off (the map's own error model)
        if self.real is not None:
            unc = [0.0] * len(self.units)
            dur_sd = 0.0
        else:
            claims = sum(1 for tp in self.fit_points if tp not in self.title_points)
            unc = [round(self._sd_smoothed(sm, v, claims), 1) for v in unit_seconds]
            dur_sd = 0.0 if self.given_duration else round(self._sd_smoothed(sm, float(duration), claims), 1)
        out: list[list[ClaimAlignment]] = [[] for _ in range(n_summaries)]
        for it, (a, b, s, status, _) in zip(self.items, placed):
            out[it.summary].append(
                ClaimAlignment(it.claim, a, b, unit_seconds[a], round(s, 4), status, unc[a] if unc else 0.0)
            )
        if self.given_duration and not (self.real is not None and self.given_duration == self.real[-1]):
            source = "given" if not self.timed or self.given_duration != self.units[-1].end else "timed"
        elif self.real is not None:
            source = "timed"
        else:
            source = "estimated"
        rough = self.real is None and max(unc, default=0.0) > ROUGH_S
        return Alignment(
            unit_seconds, self.real is None, float(duration), out,
            unc, source, dur_sd, rough,
        )


def _stamp_notes(summaries: list[Summary], al: Alignment) -> list[str]:
    """Summaries whose stamps disagree with their own text: many claims land elsewhere."""
    notes = []
    for s, cas in zip(summaries, al.summaries):
        if len(cas) < STAMP_NOTE_MIN:
            continue
        off = sum(1 for ca in cas if ca.status == "time_mismatch")
        lost = sum(1 for ca in cas if ca.status == "unsupported")
        if off + lost >= STAMP_NOTE_SHARE * len(cas):
            notes.append(
                f"{s.path.name}: stamps disagree with the text: {off} of {len(cas)} claims match "
                f"the transcript elsewhere, {lost} match nowhere near their stamp"
            )
    return notes


def align(transcript: Transcript, summaries: list[Summary], duration_s: float | None = None) -> Alignment:
    """Align summary claims to transcript units and estimate every unit's time. Pure."""
    if duration_s is not None and not (isfinite(duration_s) and 0 < duration_s <= MAX_DURATION_S):
        duration_s = None  # callers validate; a nonsense duration is no duration
    total_words = sum(len(line.text.split()) for line in transcript.units)
    given = duration_s or (transcript.last_time if transcript.timed else None)
    read = [read_stamps(s, total_words, given) for s in summaries]
    as_read = [r[0] for r in read]
    if not transcript.units:
        duration = duration_s or max((c.seconds for s in as_read for c in s.claims), default=0.0)
        al = Alignment(
            [],
            not transcript.timed,
            float(duration),
            [[ClaimAlignment(c, 0, 0, c.seconds, 0.0, "unsupported") for c in s.claims] for s in as_read],
            duration_source="given" if duration_s else "estimated",
        )
    else:
        al = _Engine(transcript, as_read, duration_s).run(len(summaries))
    # claims as written, with the reading the engine used
    al.summaries = [
        [
            replace(ca, claim=orig, read_seconds=ca.claim.seconds if ca.claim.seconds != orig.seconds else None)
            for ca, orig in zip(cas, s.claims)
        ]
        for cas, s in zip(al.summaries, summaries)
    ]
    al.stamp_notation = [r[1].notation for r in read]
    al.notes = [r[1].note for r in read if r[1].note] + _stamp_notes(summaries, al)
    return al
