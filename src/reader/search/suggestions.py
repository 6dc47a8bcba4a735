"""Did you mean: each unknown word corrected against the unstemmed vocabulary."""

from __future__ import annotations

import re
from typing import Any

from whoosh import query as Q
from whoosh.support.levenshtein import distance

from .language import _STOP, expand, fuzzy_words, parse_query

_WORD = re.compile(r"(?<![\w:*?])([^\W\d_][\w']*)(?![\w:*?])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def suggest(searcher: Any, qstring: str, filt: Q.Query | None = None) -> str | None:
    """Correct each unknown word against the unstemmed vocabulary, keeping the query's
    structure (quotes, operators, fields). Only offered when the corrected query finds
    something."""
    try:
        reader = searcher.reader()
        leaves = [r for r, _ in reader.leaf_readers()] or [reader]
    except Exception:  # noqa: BLE001
        return None
    changed = False
    out: list[str] = []
    index = 0
    for m in _WORD.finditer(qstring):
        word = m.group(1)
        before = qstring[: m.start()]
        if (
            word in _OPERATORS
            or re.search(r"\w+:\"?[^\s\"]*$", before)
            and not before.endswith(" ")
        ):
            continue
        lw = word.lower()
        if lw in _STOP or len(lw) < 3 or reader.doc_frequency("words", lw) > 0:
            continue
        best = correction(leaves, lw, 1 if len(lw) <= 4 else 2)
        if best is None:
            continue
        out.append(qstring[index : m.start()])
        out.append(best)
        index = m.end()
        changed = True
    if not changed:
        return None
    out.append(qstring[index:])
    fixed = "".join(out)
    try:
        from .running import _combine  # (running imports this module)

        q = expand(parse_query(fixed), reader, [])
        # One matching document is enough (no scoring: "model" matches 100k passages).
        if next(iter(searcher.docs_for_query(_combine(q, filt))), None) is None:
            return None
    except Exception:  # noqa: BLE001
        return None
    return fixed


def correction(leaves: list[Any], word: str, maxdist: int) -> str | None:
    """The nearest unstemmed word (fewest edits, then most frequent), looked up with each
    segment's DFA over its term list (a multi-segment reader would compute the edit
    distance to every term in Python); distance 1 first, then 2 with the first letter
    kept, only if that finds nothing."""
    for dist in range(1, maxdist + 1):
        freq: dict[str, int] = {}
        for leaf in leaves:
            try:
                # Two edits only keeping the first letter: without the prefix the
                # automaton visits thousands of terms (0.5 s on 10 M words).
                for w in fuzzy_words(leaf, "words", word, dist, prefix=0 if dist == 1 else 1):
                    if w != word:
                        freq[w] = freq.get(w, 0) + leaf.doc_frequency("words", w)
            except Exception:  # noqa: BLE001
                continue
        if freq:
            return max(sorted(freq), key=lambda w: (-distance(word, w), freq[w]))
    return None
