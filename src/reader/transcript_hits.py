"""Search hits in a laid-out transcript: which rows show a searched word, where on a row
they are, and stepping from hit to hit (``n`` / ``N``) with the wrap at either end.

The words come as a matcher (anything with ``finditer``/``search`` over a text, as
``re.Pattern`` and ``reader.search.TermMatcher`` have): the search core's matcher of the
words the query really matched. Plain words (only tests pass them today) become a
word-prefix pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from typing import Protocol

from .wrapped_layout import Layout


class Found(Protocol):
    def start(self) -> int: ...
    def span(self) -> tuple[int, int]: ...


class Matcher(Protocol):
    """What finds the search hits in a text (``re.Pattern``, ``TermMatcher``)."""

    @property
    def pattern(self) -> str: ...  # an identity: two matchers alike find the same

    @property
    def flags(self) -> int: ...

    def finditer(self, text: str) -> Iterator[Found]: ...

    def search(self, text: str) -> Found | None: ...


def _stem(term: str) -> str:
    """A crude stem, so "agents" also finds "agent" (matching is by word prefix)."""
    t = term.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if t.endswith(suffix) and len(t) - len(suffix) >= 3:
            return t[: -len(suffix)]
    return t


def matcher_of(terms: Matcher | Iterable[str] | None) -> Matcher | None:
    """The matcher for ``terms``: the search core's matcher of the words a query matched,
    or, for plain words (a caller without a search result), a case-insensitive
    word-prefix pattern; None when there is nothing to find."""
    if terms is None:
        return None
    if hasattr(terms, "finditer"):
        found: Matcher = terms  # type: ignore[assignment]
        return found if found else None
    words: list[str] = []
    for term in terms:
        for w in re.findall(r"\w+", term):
            s = _stem(w)
            if s and s not in words:
                words.append(s)
    if not words:
        return None
    words.sort(key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def same_matcher(a: Matcher | None, b: Matcher | None) -> bool:
    """Do two matchers find the same words (so the highlights need no repaint)?"""
    if a is None or b is None:
        return a is b
    return (a.pattern, a.flags) == (b.pattern, b.flags)


def row_hits(layout: Layout, row: int, matcher: Matcher | None) -> tuple[tuple[int, int], ...]:
    """The column spans of the hits on ``row``."""
    if matcher is None:
        return ()
    body = layout.row_text(row)
    return tuple(m.span() for m in matcher.finditer(body)) if body else ()


def hit_rows(layout: Layout, matcher: Matcher) -> list[int]:
    """The rows with at least one hit, in order."""
    rows: list[int] = []
    last = -1
    row_of = layout.row_of_offset
    for m in matcher.finditer(layout.doc.text):
        r = row_of(m.start())
        if r != last:
            rows.append(r)
            last = r
    return rows


def step(rows: list[int], cursor_row: int, direction: int) -> tuple[int, bool] | None:
    """The index in ``rows`` of the next (``direction`` > 0) or previous hit row from
    ``cursor_row``, and whether that went round the end; None without hits."""
    if not rows:
        return None
    if direction > 0:
        i = bisect_right(rows, cursor_row)
        return (0, True) if i >= len(rows) else (i, False)
    i = bisect_left(rows, cursor_row) - 1
    return (len(rows) - 1, True) if i < 0 else (i, False)


def first_hit(layout: Layout, first: int, last: int, matcher: Matcher) -> tuple[int, int] | None:
    """The first row of ``first..last`` with a hit, and the hit's offset in the text."""
    for row in range(first, min(last, len(layout) - 1) + 1):
        if layout.is_blank(row):
            continue
        m = matcher.search(layout.row_text(row))
        if m is not None:
            return row, layout.row_start[row] + m.start()
    return None


def hit_message(number: int, total: int, wrapped: bool) -> str:
    """``Hit 3 of 12``, and whether the step went round the end."""
    where = ""
    if wrapped:
        where = " (wrapped to the first)" if number == 1 else " (wrapped to the last)"
    return f"Hit {number} of {total}{where}"


class SearchHits:
    """The search hits of one transcript: the matcher, the rows with a hit (found once per
    layout), where the last ``n`` / ``N`` went, and the text offset of the hit a landing
    put the cursor on (so a relayout keeps the cursor on that word's row)."""

    def __init__(self) -> None:
        self.matcher: Matcher | None = None
        self.position: tuple[int, int, bool] | None = None  # (n, of, wrapped) of n / N
        self.offset: int | None = None
        self._rows: list[int] | None = None

    def set(self, matcher: Matcher | None) -> None:
        self.matcher, self._rows = matcher, None

    def forget_rows(self) -> None:
        """A new layout (or document): the rows are found again when asked for."""
        self._rows = None

    def on_row(self, layout: Layout, row: int) -> tuple[tuple[int, int], ...]:
        return row_hits(layout, row, self.matcher)

    def rows(self, layout: Layout | None) -> list[int]:
        if self._rows is None:
            matcher = self.matcher
            self._rows = hit_rows(layout, matcher) if layout and matcher is not None else []
        return self._rows

    def step(self, layout: Layout | None, cursor_row: int, direction: int) -> int | None:
        """The row of the next (previous) hit from ``cursor_row``; None without hits.
        ``position`` says which hit that is."""
        if layout is None or self.matcher is None or not len(layout):
            return None
        rows = self.rows(layout)
        found = step(rows, cursor_row, direction)
        if found is None:
            return None
        i, wrapped = found
        self.position = (i + 1, len(rows), wrapped)
        return rows[i]

    def first_in(self, layout: Layout, first: int, last: int) -> int | None:
        """The first row of ``first..last`` with a hit (its offset kept in ``offset``)."""
        if self.matcher is None:
            return None
        found = first_hit(layout, first, last, self.matcher)
        if found is None:
            return None
        row, self.offset = found
        return row

    def message(self) -> str:
        """``Hit 3 of 12``, and whether the last ``n`` / ``N`` went round the end."""
        return hit_message(*self.position) if self.position is not None else ""
