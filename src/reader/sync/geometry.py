"""Where everything sits in the transcript's words: the text's geometry.

Per unit: its word count, the running word position, whether it starts a sentence or a
speaker turn; the scoring windows (scoring.py) over the units; for timed transcripts the
real time of every unit. The lookups every pass shares (the unit at a word position, the
window holding a unit, the tokens either side of a unit) live here.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from reader.model import Claim, Transcript
from reader.parse.patterns import CLOSERS, SENTENCE_END

from .scoring import ClaimScores, Windows, build_windows, unit_weights
from .timing import TimeMap, fill_times

SUPPORT_MIN = 0.22  # below this best score a claim is unsupported
_COLON_END = re.compile(rf":{CLOSERS}$")  # "Lenny:" then a capital: a new sentence
TRIM_SHARE = 0.2  # a matched window is trimmed to the units holding this share of its best weight


class Geometry:
    """The transcript's units, words and windows, and where each unit starts."""

    def __init__(self, transcript: Transcript) -> None:
        self.units = transcript.units
        n = len(self.units)
        self.wc = [max(1, len(line.text.split())) for line in self.units]
        self.cum = [0] * (n + 1)
        for i, c in enumerate(self.wc):
            self.cum[i + 1] = self.cum[i] + c
        self.total = self.cum[n]
        self.timed = transcript.timed and any(line.start is not None for line in self.units)
        self.win: Windows = build_windows([line.text for line in self.units], self.cum)
        self.real: list[float] | None = None
        if self.timed:
            self.real = fill_times([line.start for line in self.units])
        self._features()

    def _features(self) -> None:
        """Per unit: starts a sentence? starts a speaker turn?"""
        n = len(self.units)
        self.sent = [True] + [False] * (n - 1)
        self.turn = [True] + [False] * (n - 1)
        for u in range(1, n):
            prev, cur = self.units[u - 1], self.units[u]
            end = prev.text.rstrip()
            self.sent[u] = bool(SENTENCE_END.search(end)) or bool(
                cur.text[:1].isupper() and _COLON_END.search(end)
            )
            self.turn[u] = cur.speaker is not None and cur.speaker != prev.speaker
        self.has_turns = any(self.turn[1:])

    # -- lookups -----------------------------------------------------------------------
    def unit_at_pos(self, pos: float) -> int:
        i = bisect_right(self.cum, pos) - 1
        return max(0, min(i, len(self.units) - 1))

    def window_at_unit(self, unit: int) -> int:
        i = bisect_right(self.win.starts, unit) - 1
        return max(0, min(i, self.win.count - 1))

    def window_pos(self, w: int) -> float:
        """Word position of window w's first unit."""
        return float(self.cum[self.win.starts[w]])

    def win_times(self, tmap: TimeMap | None) -> list[float]:
        """Each window's start time: real, or under the time map."""
        if self.real is not None:
            return [self.real[a] for a in self.win.starts]
        assert tmap is not None
        cum = self.cum
        return tmap.times_at([cum[a] for a in self.win.starts])  # window starts increase

    def span_tokens(self, a: int, words: int, forward: bool) -> dict[str, int]:
        """Token counts of about ``words`` words from unit a on (or before it)."""
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

    # -- a claim's units ------------------------------------------------------------------
    def trim(self, scores: ClaimScores, w: int) -> tuple[int, int]:
        """Window w narrowed to the units that carry the claim's words."""
        a, b = self.win.starts[w], self.win.ends[w]
        weights = unit_weights(scores, self.win, a, b)
        top = max(weights, default=0.0)
        if top <= 0:
            return a, a
        keep = [i for i, x in enumerate(weights) if x >= TRIM_SHARE * top]
        return a + keep[0], a + keep[-1]

    def stamp_unit(self, claim: Claim) -> int:
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

    def shares_window(self, scores: ClaimScores, u: int, a: int) -> bool:
        """Is there a window holding both units u and a in which the claim is supported?"""
        lo, hi = min(u, a), max(u, a)
        # windows containing ``hi`` start at or before ``lo`` and end at or after ``hi``
        w = self.window_at_unit(lo)
        while w >= 0 and self.win.ends[w] >= hi:
            if scores.get(w) >= SUPPORT_MIN:
                return True
            w -= 1
        return False
