"""Phrases with common words read their positions from the text field's column
(schema.common_column): the same hits, scores and totals as Whoosh's own phrase
matcher, and the column holds exactly the postings' positions."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.search.running as running_mod
from reader.library import Library
from reader.search import LibraryIndex, phrases
from reader.search.schema import COMMON_IDS, analyse, common_column

BUNDLED = Path(__file__).resolve().parents[1] / "library"

# each has a word of schema.COMMON_WORDS after its rarest, most several
COMMON_PHRASES = [
    '"like like"',
    '"you know you know"',
    '"i think that"',
    '"really good"',
    '"going to be"',
    '"a lot of people"',
    '"people think"',
    '"the model is really"',
    '"what do you think"',
    '"yeah yeah"',
    '"know what"',
    '"escape velocity is"',
    '"way too"',
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def test_column_holds_the_postings_positions():
    texts = ["", "like like like", "I think you know, you know", "x " * 300 + "like"]
    for path in sorted(BUNDLED.glob("*/*.txt"))[:4]:
        lines = path.read_text(encoding="utf-8").splitlines()
        texts += [" ".join(lines[i : i + 4]) for i in range(0, min(len(lines), 200), 4)]
    texts.append(" ".join(["so"] * 300))  # positions past 255: the two-byte form
    for text in texts:
        want = {}
        for b, n, _, _v in analyse(text):
            if b in COMMON_IDS:
                want[COMMON_IDS[b]] = n
        col = common_column(text)
        got = {}
        if col:
            if col[0] == 0:
                nums = list(col[1:])
            else:
                nums = [int.from_bytes(col[j : j + 2], "big") for j in range(1, len(col), 2)]
            i = 0
            while i < len(nums):
                got[nums[i]] = nums[i + 1]
                assert len(nums[i + 2 : i + 2 + nums[i + 1]]) == nums[i + 1]
                i += 2 + nums[i + 1]
        assert got == want, text[:60]


@pytest.mark.parametrize(
    "kw", [{}, {"kind": "transcript"}, {"episode": "redpoint-douglas-claude-4"}]
)
def test_common_word_phrases_match_whooshs(cache, monkeypatch, kw):
    ix = LibraryIndex(Library.load(BUNDLED))
    ix.update()
    used: list[bool] = []
    fast = running_mod.top_of_phrase
    columns = []
    real_column = phrases.Blocks.column

    def column(self, leaf, fieldname):
        got = real_column(self, leaf, fieldname)
        columns.append(got)
        return got

    monkeypatch.setattr(phrases.Blocks, "column", column)
    monkeypatch.setattr(phrases, "COLUMN_COST", 0.0)  # the column whenever it can

    def counting(*a, **k):
        got = fast(*a, **k)
        used.append(got is not None)
        return got

    found = 0
    for q in COMMON_PHRASES:
        monkeypatch.setattr(running_mod, "top_of_phrase", counting)
        a = ix.search(q, **kw)
        monkeypatch.setattr(running_mod, "top_of_phrase", lambda *a, **k: None)
        b = ix.search(q, **kw)
        assert [(h.episode, h.unit_start, h.kind, round(h.score, 6)) for h in a.hits] == [
            (h.episode, h.unit_start, h.kind, round(h.score, 6)) for h in b.hits
        ], q
        assert (a.total, a.total_exact) == (b.total, b.total_exact), q
        found += a.total
    assert used and all(used)  # the array matcher ran (never fell back)
    assert columns  # and read the column
    assert found > 0
    ix.close()
