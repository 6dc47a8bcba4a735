"""What a query matched, and showing it: the term matcher, snippets, marks.

``matched_terms`` walks a query (its fuzzy/prefix/wildcard parts already expanded to the
index's own words, see language.py) and keeps the words that really occur in the index,
leaving out negated parts and field filters (``kind:summary``, ``episode:``, ``title:``).
The resulting ``TermMatcher`` is carried with the results: it marks the snippets, and the
TUI uses it to highlight the whole transcript and to step through it with n/N, so a
query's words never round-trip through the UI (``velocty~`` highlights "velocity";
``running`` highlights "running" and "runs", not every word starting "runn").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as Q
from whoosh.lang.porter import stem

from .schema import TOKEN_PATTERN

SNIPPET_CHARS = 200  # Hit.snippet: texts up to this long whole, else a fragment this long

_TOKEN = re.compile(TOKEN_PATTERN)
_STOP = frozenset(__import__("whoosh.analysis", fromlist=["STOP_WORDS"]).STOP_WORDS)
_STEMS: dict[str, str] = {}


class Match:
    """A match in a text: ``start()``, ``end()``, ``span()`` (like ``re.Match``)."""

    __slots__ = ("_a", "_b")

    def __init__(self, a: int, b: int) -> None:
        self._a, self._b = a, b

    def start(self) -> int:
        return self._a

    def end(self) -> int:
        return self._b

    def span(self) -> tuple[int, int]:
        return self._a, self._b


@dataclass(frozen=True)
class TermMatcher:
    """Finds the words a query matched in any text: a word matches when its lowercase
    form is one of ``words`` (unstemmed: fuzzy, prefix, exact-spelling variants) or its
    stem is one of ``stems`` (ordinary words and phrases, stemmed like the index)."""

    stems: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    label: str = field(default="", compare=False)  # the query, for messages
    _seen: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # the query's phrases, each word as the stems it may be (a snippet shows one whole)
    phrases: tuple[tuple[frozenset[str], ...], ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.stems or self.words)

    def __iter__(self) -> Iterator[str]:
        """The query's words, for messages ("no more matches for …")."""
        if self.label:
            return iter(self.label.split())
        return iter(sorted(self.words | self.stems))

    @property
    def pattern(self) -> str:  # an identity, as re.Pattern.pattern is
        return "stems:" + ",".join(sorted(self.stems)) + "|words:" + ",".join(sorted(self.words))

    flags = 0

    def matches(self, word: str) -> bool:
        lw = word.lower()
        hit = self._seen.get(lw)
        if hit is None:
            hit = lw in self.words or (bool(self.stems) and stem(lw) in self.stems)
            if len(self._seen) < 100_000:
                self._seen[lw] = hit
        return hit

    def finditer(self, text: str) -> Iterator[Match]:
        if not self:
            return
        for m in _TOKEN.finditer(text):
            if self.matches(m.group()):
                yield Match(m.start(), m.end())

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)

    def phrase_span(self, text: str) -> tuple[int, int] | None:
        """Where the first of the query's phrases occurs whole in ``text`` (character
        range), as the index matches it: stop words and one-letter words skipped."""
        if not self.phrases:
            return None
        kept: list[tuple[str, int, int]] = []
        for m in _TOKEN.finditer(text):
            lw = m.group().lower()
            if len(lw) < 2 or lw in _STOP:
                continue
            st = _STEMS.get(lw)
            if st is None:
                st = _STEMS[lw] = stem(lw)
            kept.append((st, m.start(), m.end()))
        for phrase in self.phrases:
            n = len(phrase)
            for i in range(len(kept) - n + 1):
                if all(kept[i + k][0] in phrase[k] for k in range(n)):
                    return kept[i][1], kept[i + n - 1][2]
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of matching words, adjacent ones (only spaces between) joined."""
        out: list[tuple[int, int]] = []
        for m in self.finditer(text):
            a, b = m.span()
            if out and text[out[-1][1] : a].strip() == "":
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
        return out


def matched_terms(q: Q.Query, reader: Any) -> TermMatcher:
    """The words of ``q`` that occur in the index (see the module doc), and its phrases."""
    stemmed: set[str] = set()
    raw: set[str] = set()
    phrases: list[tuple[frozenset[str], ...]] = []

    def present(field_name: str, word: str) -> bool:
        try:
            return bool(reader.doc_frequency(field_name, word) > 0)
        except Exception:  # noqa: BLE001
            return False

    def add(field_name: str, word: Any) -> None:
        word = word.decode("utf-8") if isinstance(word, bytes) else str(word)
        if field_name == "text" and present("text", word):
            stemmed.add(word)
        elif field_name == "words" and present("words", word):
            raw.add(word)

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Not):
            return
        if isinstance(node, Q.AndNot):
            walk(node.a)
            return
        if isinstance(node, Q.Phrase):
            for w in node.words:
                add(node.fieldname, w)
            if node.fieldname == "text" and len(node.words) > 1:
                phrases.append(tuple(frozenset([str(w)]) for w in node.words))
            return
        if isinstance(node, Q.Sequence):
            parts: list[frozenset[str]] = []
            for c in node.subqueries:
                terms = (
                    [c]
                    if isinstance(c, Q.Term)
                    else list(c.children())
                    if isinstance(c, Q.Or)
                    else []
                )
                if not terms or not all(
                    isinstance(t, Q.Term) and t.fieldname == "text" for t in terms
                ):
                    parts = []
                    break
                parts.append(frozenset(str(getattr(t, "text", "")) for t in terms))
            if len(parts) > 1:
                phrases.append(tuple(parts))
        if isinstance(node, Q.Term):
            add(node.fieldname, node.text)
            return
        if isinstance(node, Q.MultiTerm):  # not expanded (should not happen): skip
            return
        if not node.is_leaf():
            for c in node.children():
                walk(c)

    walk(q)
    return TermMatcher(frozenset(stemmed), frozenset(raw), phrases=tuple(phrases))


def _word_starts(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def snippet_for(
    text: str,
    stemmed: set[str] | frozenset[str] = frozenset(),
    raw: set[str] | frozenset[str] = frozenset(),
    limit: int = SNIPPET_CHARS,
    matcher: TermMatcher | None = None,
) -> tuple[str, list[tuple[int, int]]]:
    """A short fragment (about ``limit`` characters, whole words, "…" where cut) around
    the densest cluster of matches, and the match spans relative to it. A text of at
    most ``limit`` characters is returned whole."""
    text = text.strip()
    if matcher is None:
        matcher = TermMatcher(frozenset(stemmed), frozenset(raw))
    matches = matcher.spans(text)
    if len(text) <= limit:
        return text, matches
    words = _word_starts(text)
    if not words:
        return text[:limit] + "…", []
    whole = matcher.phrase_span(text) if matches else None
    if whole is not None:
        # a phrase query: the window holds the first place the phrase occurs whole (not
        # the densest cluster of its words, which may be them apart)
        a, b = whole
        spare = max(0, limit - (b - a))
        lo = max(0, a - spare // 3)
        hi = min(len(text), lo + limit)
        lo = max(0, min(lo, hi - limit))
    elif matches:
        # The window of matches that fits in the budget and holds the most distinct
        # matched words (then the most matches); earliest wins ties.
        best, best_score = (0, 0), (-1, -1)
        budget = int(limit * 0.8)
        for i in range(len(matches)):
            j = i
            distinct: set[str] = set()
            while j < len(matches) and matches[j][1] - matches[i][0] <= budget:
                distinct.add(text[matches[j][0] : matches[j][1]].lower())
                j += 1
            j = max(j, i + 1)
            score = (len(distinct), j - i)
            if score > best_score:
                best, best_score = (i, j), score
        a, b = matches[best[0]][0], max(m[1] for m in matches[best[0] : best[1]])
        spare = max(0, limit - (b - a))
        lo = max(0, a - spare // 3)  # a third of the context before, the rest after
        hi = min(len(text), lo + limit)
        lo = max(0, min(lo, hi - limit))
    else:
        lo, hi = 0, limit
    # Whole words: start at the first word starting at or after lo (or the word holding
    # the first match), end at the last word ending by hi.
    first = next((w for w in words if w[0] >= lo), words[-1])
    if matches and first[0] > a:
        first = next(w for w in reversed(words) if w[0] <= a)
    last = next((w for w in reversed(words) if w[1] <= hi and w[0] >= first[0]), first)
    if matches and last[1] < b:
        last = next(w for w in words if w[1] >= b)
    start, end = first[0], last[1]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    body = text[start:end]
    if tail and body and body[-1] in ",;:-–—":
        body = body[:-1].rstrip()
    shift = len(lead) - start
    spans = [
        (max(x, start) + shift, min(y, start + len(body)) + shift)
        for x, y in matches
        if x < start + len(body) and y > start
    ]
    return lead + body + tail, spans


def mark(snippet: str, spans: list[tuple[int, int]], left: str = "«", right: str = "»") -> str:
    out, index = [], 0
    for a, b in spans:
        out.append(snippet[index:a])
        out.append(left + snippet[a:b] + right)
        index = b
    out.append(snippet[index:])
    return "".join(out)
