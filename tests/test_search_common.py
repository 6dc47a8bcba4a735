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
            k = nums[0]
            got = dict(zip(nums[1 : 1 + k], nums[1 + k : 1 + 2 * k], strict=True))
            assert len(nums) == 1 + 2 * k + sum(got.values())
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


def test_column_positions_of_each_word():
    """A word's positions read from the column are its postings' positions."""
    from whoosh.formats import Positions

    from reader.search.phrases import _Column

    decode = Positions().decode_positions
    long = "so like you know like really " + "so " * 300 + "like"
    for value in ("like really like so time", long, "nothing common here"):
        col = _Column.__new__(_Column)
        col.data = common_column(value)
        col.offsets, col.lengths = [0], [len(col.data)]
        seen = 0
        for b, _, _, v in analyse(value):
            if b in COMMON_IDS:
                got = col.positions(0, COMMON_IDS[b])
                assert got is not None and list(got) == decode(v), (value[:30], b)
                seen += 1
        absent = [w for b, w in COMMON_IDS.items() if b not in {x[0] for x in analyse(value)}]
        assert all(col.positions(0, w) is None for w in absent)
        assert seen or value == "nothing common here"
