"""Placing every claim: text + a prior around its stamp's position on the map.

A much better match a few minutes away makes a claim ``time_mismatch``; too little
support makes it ``unsupported`` (placed at its stamp, on the final map: see engine.py).
Chapter titles are placed by the prior, never contradicted by a word or two; the titles
of one summary tile the episode (a later-stamped title starts after the previous one).
When the clock beat a chapter list's own matches, each title is placed at its topic onset
near the clock (titles.py). Timed transcripts: a claim starts at the line spoken at its
stamp unless the text contradicts it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from reader.model import ClaimStatus

from .candidates import LONG_TERMS, Item, best
from .geometry import SUPPORT_MIN, Geometry
from .timing import TimeMap
from .titles import onset, place_title
from .uncertainty import ErrorModel

MISMATCH_S = 60.0  # a match further than this from the claim's own time is a mismatch
MISMATCH_MIN = 0.30  # ...when it scores at least this
MISMATCH_RATIO = 2.0  # ...and at least this many times the best match near the stamp
MISMATCH_GAIN = 0.15  # ...and beats the best match near the timestamp by this much
# ('clearly matches' needs a claim with LONG_TERMS informative terms)
FAR_SIGMA = 240.0  # prior width when looking for a claim's passage away from its stamp
FINAL_SIGMA = 45.0
TIMED_SIGMA = 30.0
SHORT_SIGMA = 20.0  # titles: the time prior wins
TILE_MIN_RATE = 0.5  # a title starts this x the speaking rate x its stamp gap after the last

Placed = tuple[int, int, float, ClaimStatus, int]  # (start unit, end unit, score, status, window)


@dataclass(slots=True)
class Placements:
    """Every claim's placement (in the items' order), and those placed by their stamp alone."""

    placed: list[Placed]
    by_prior: set[int] = field(default_factory=set)  # placed again on the final map


def place_claims(
    geo: Geometry,
    items: list[Item],
    order: list[int],
    tmap: TimeMap | None,
    model: ErrorModel | None,
    clock_first: bool,
    end_time: float,
) -> Placements:
    """Place each claim (``order``: by stamp). ``tmap`` is None for a timed transcript;
    ``clock_first``: the clock beat the chapter list's matches (titles placed near it)."""
    win_time = geo.win_times(tmap)
    sigma_f = TIMED_SIGMA if geo.real is not None else FINAL_SIGMA
    n = len(geo.units)
    placed_at: dict[int, Placed] = {}
    prev_title: dict[int, tuple[float, int]] = {}  # summary -> (stamp, onset) of its last title
    by_prior: set[int] = set()  # claims placed by their stamp alone: placed again on the final map
    for idx in order:
        it = items[idx]
        t = it.claim.seconds
        if geo.real is not None:
            prior_unit = bisect_right(geo.real, t) - 1
            prior_unit = max(0, min(prior_unit, n - 1))
        else:
            assert tmap is not None
            prior_unit = geo.unit_at_pos(tmap.pos_at(t))
        prior_w = geo.window_at_unit(prior_unit)
        short = it.is_title
        w, _, s = best(it, win_time, SHORT_SIGMA if short else sigma_f, prior_w)
        fw, _, fs = best(it, win_time, FAR_SIGMA, prior_w)
        status: ClaimStatus = "ok"
        if short:
            pass  # titles: placed by the prior, never contradicted by a word or two
        elif (
            fw != w
            and fs >= MISMATCH_MIN
            and fs >= max(MISMATCH_RATIO * s, s + MISMATCH_GAIN)
            and abs(win_time[fw] - t) > MISMATCH_S
            and it.scores.n_terms >= LONG_TERMS
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
            floor = max(u0 + 1, geo.unit_at_pos(geo.cum[u0] + gap))
        if short and tmap is not None and t <= 0.5:
            a = b = 0  # 0:00 is the start
        elif short and tmap is not None and clock_first:
            assert model is not None
            fl = (
                prev_title[it.summary][1] + 1
                if it.summary in prev_title and prev_title[it.summary][0] < t
                else 0
            )
            a = b = place_title(geo, it, t, tmap, win_time, model, fl)
        elif s >= SUPPORT_MIN or (s > 0 and status == "time_mismatch"):
            a, b = geo.trim(it.scores, w)
            if short:
                a = onset(geo, it, a)
                if a < floor:
                    w2, _, s2 = best(it, win_time, SHORT_SIGMA, None, geo.window_at_unit(floor) + 1)
                    if w2 >= 0 and s2 >= SUPPORT_MIN:
                        w, s = w2, s2
                        a, b = geo.trim(it.scores, w)
                        a = onset(geo, it, max(a, floor), floor)
            if short and abs(a - prior_unit) > 0:
                if abs(win_time[w] - t) > SHORT_SIGMA:
                    a = b = prior_unit
                    by_prior.add(idx)
        else:
            a = b = prior_unit
            by_prior.add(idx)
        if short and tmap is None and floor >= 0 and a < floor:
            a = b = min(max(floor, prior_unit), n - 1)
        if geo.real is not None and status == "ok" and w >= 0:
            # timed: the stamp and the line times are both real. Text evidence comes
            # in windows (~WINDOW_WORDS): when the line spoken at the stamp lies in
            # the matched window or range, or shares a supporting window with the
            # match's first line, the text does not contradict the stamp, and the
            # stamp is the more precise of the two
            # (a title's word or two never clearly says otherwise: it starts at its stamp)
            u = geo.stamp_unit(it.claim)
            inside = min(a, geo.win.starts[w]) <= u <= max(b, geo.win.ends[w])
            if short or inside or geo.shares_window(it.scores, u, a):
                a, b = u, max(b, u)
        if short:
            prev_title[it.summary] = (t, a)
        placed_at[idx] = (a, b, s, status, w)
    return Placements([placed_at[i] for i in range(len(items))], by_prior)
