"""Chapter titles: where a title's topic starts.

A chapter is stamped where its topic starts: where its words begin to occur (the host's
question usually names it), not where they are densest. ``onset`` walks back from a
title's best-matching lines to the first that names it; ``place_title`` chooses, near the
map's time for the stamp, the best topic onset scored as log-likelihoods: the time prior
(the map's own uncertainty), a sentence start, a speaker turn, a lexical-cohesion dip
(TextTiling) and the title's words plus those co-occurring with them (pseudo-relevance
feedback) starting there. ``0:00`` is the start.
"""

from __future__ import annotations

from .candidates import Item
from .geometry import Geometry
from .timing import TimeMap
from .uncertainty import ErrorModel, sd_at

ONSET_MAX_WORDS = 250  # a title's topic onset is looked for this far before its best lines
ONSET_MASS = 0.5  # ...as the first line holding this share of the title's idf mass
TILE_WORDS = 60  # words either side compared for lexical cohesion
ONSET_WORDS = 120  # words either side where the title's terms are counted
PRF_TERMS = 8  # co-occurring terms added to a title's own
PRF_WEIGHT = 0.5
TITLE_SIGMA_MIN = 8.0
W_SENTENCE, W_TURN, W_DEPTH, W_LEXICAL, W_MENTION = 1.0, 1.0, 1.0, 1.5, 1.0


def onset(geo: Geometry, item: Item, a: int, floor: int = 0) -> int:
    """Where a title's topic starts, given ``a``, the start of its best-matching lines:
    the earliest line within ONSET_MAX_WORDS before ``a`` that, with the next line (a
    phrase may be split across caption lines), holds at least ONSET_MASS of the title's
    idf mass; failing that, ``a``."""
    terms = item.scores.terms
    total = sum(terms.values())
    if total <= 0:
        return a
    toks = geo.win.unit_tokens
    cum = geo.cum
    i = a
    while i > floor and cum[a] - cum[i - 1] <= ONSET_MAX_WORDS:
        i -= 1
    for u in range(i, a):
        seen = set(toks[u]) | set(toks[u + 1])
        if sum(v for t, v in terms.items() if t in seen) >= ONSET_MASS * total:
            return u
    return a


def _prf(
    geo: Geometry, item: Item, win_time: list[float], t: float, half: float
) -> dict[str, float]:
    """The title's terms plus the terms co-occurring with them in its best windows near t."""
    terms = dict(item.scores.terms)
    best = sorted(
        ((s, w) for w, s in item.scores.items() if abs(win_time[w] - t) <= half),
        reverse=True,
    )[:3]
    if not best:
        return terms
    tf: dict[str, float] = {}
    for _, w in best:
        for u in range(geo.win.starts[w], geo.win.ends[w] + 1):
            for tok in geo.win.unit_tokens[u]:
                if tok not in terms:
                    tf[tok] = tf.get(tok, 0.0) + 1.0
    idf = geo.win.idf
    scored = sorted(((v * idf.get(k, 0.0), k) for k, v in tf.items() if v >= 2), reverse=True)
    top = max(terms.values(), default=1.0)
    for _, k in scored[:PRF_TERMS]:
        terms[k] = PRF_WEIGHT * min(idf.get(k, 0.0), top)
    return terms


def place_title(
    geo: Geometry,
    item: Item,
    t: float,
    tmap: TimeMap,
    win_time: list[float],
    model: ErrorModel,
    floor: int,
) -> int:
    """The unit where a chapter title's topic starts: near the map's time for its stamp."""
    n = len(geo.units)
    floor = max(0, floor)
    if t <= 0.5:
        return min(floor, n - 1)  # 0:00 is the start
    sig = max(TITLE_SIGMA_MIN, sd_at(model, t))
    a = max(floor, geo.unit_at_pos(tmap.pos_at(max(0.0, t - 3 * sig))))
    b = max(a, geo.unit_at_pos(tmap.pos_at(t + 3 * sig)))
    b = min(b, n - 1)
    if a >= n:
        return n - 1
    terms = _prf(geo, item, win_time, t, max(3 * sig, 120.0))
    lex, dis = [], []
    for u in range(a, b + 1):
        after = geo.span_tokens(u, ONSET_WORDS, True)
        before = geo.span_tokens(u, ONSET_WORDS, False)
        lex.append(
            sum(v * (min(after.get(k, 0), 3) - min(before.get(k, 0), 3)) for k, v in terms.items())
        )
        aa = geo.span_tokens(u, TILE_WORDS, True)
        bb = geo.span_tokens(u, TILE_WORDS, False)
        dot = sum(v * bb.get(k, 0) for k, v in aa.items())
        na = sum(v * v for v in aa.values()) ** 0.5
        nb = sum(v * v for v in bb.values()) ** 0.5
        dis.append(1.0 - (dot / (na * nb) if na and nb else 0.0))
    own = item.scores.terms
    own_total = sum(own.values())
    toks = geo.win.unit_tokens
    lmax = max((abs(x) for x in lex), default=0.0) or 1.0
    dlo, dhi = min(dis), max(dis)
    best_u, best_v = a, float("-inf")
    for k, u in enumerate(range(a, b + 1)):
        dt = tmap.time_at(geo.cum[u]) - t
        v = -0.5 * (dt / sig) ** 2
        v += W_SENTENCE * geo.sent[u] + W_TURN * geo.turn[u]
        v += W_DEPTH * ((dis[k] - dlo) / (dhi - dlo) if dhi > dlo else 0.0)
        v += W_LEXICAL * lex[k] / lmax
        if own_total > 0:  # the title's own words said here (this line or the next)
            seen = set(toks[u]) | (set(toks[u + 1]) if u + 1 < n else set())
            v += W_MENTION * (
                sum(x for tk, x in own.items() if tk in seen) >= ONSET_MASS * own_total
            )
        if v > best_v:
            best_u, best_v = u, v
    return best_u
