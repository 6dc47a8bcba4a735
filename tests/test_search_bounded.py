"""Top N of an OR with a very common word, read by block maxima (topterm._bounded): the
same hits as scoring every match, and a total marked "about" that is close to the exact
one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

from reader.library import Library
from reader.search import LibraryIndex, topterm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

# On 1,000 synthetic episodes the estimate is within 0.1% (benchmarks/README, Search);
# a small library has fewer documents per block, so the bound tested here is wider.
MAX_ERROR = 0.02
QUERIES = ["like*", "know*", "thin*", "mode*", "peop*", "real*", "some*", "go*", "th*"]


@pytest.fixture(scope="module")
def synth_index(tmp_path_factory):
    import synth

    mp = pytest.MonkeyPatch()
    tmp = tmp_path_factory.mktemp("bounded")
    mp.setenv("READER_CACHE_DIR", str(tmp / "cache"))
    lib_dir = synth.generate(tmp / "syn", episodes=30, words=5000, claims=10)
    ix = LibraryIndex(Library.load(lib_dir))
    ix.update()
    # one episode changed: its old passages are deleted documents in the first segment
    ep = sorted(lib_dir.iterdir())[3] / "transcript.txt"
    ep.write_text(ep.read_text(encoding="utf-8") + "\nlike the model like\n", encoding="utf-8")
    ix = LibraryIndex(Library.load(lib_dir))
    assert ix.update().changed == 1
    yield ix, lib_dir
    ix.close()
    mp.undo()


def _both(ix, monkeypatch, q, lazy_min=200):
    from reader.search import running

    monkeypatch.setattr(running, "FAST_TERM_MIN", 1)  # block scoring on a small library
    monkeypatch.setattr(topterm, "LAZY_MIN", 10**12)
    exact = ix.search(q, limit=10)
    monkeypatch.setattr(topterm, "LAZY_MIN", lazy_min)
    bounded = ix.search(q, limit=10)
    return exact, bounded


def _key(res):
    return [(h.episode, h.line_start, h.kind, h.score) for h in res.hits]


def test_bounded_top_is_the_exact_top_and_the_total_is_close(synth_index, monkeypatch):
    """Hits, their order and their scores are the exact search's (scores are summed in
    the same order, so even ties rank alike); the total is exact or marked "about" and
    within MAX_ERROR of the exact count."""
    ix, _ = synth_index
    estimated = 0
    for q in QUERIES:
        exact, bounded = _both(ix, monkeypatch, q)
        assert exact.total_exact and exact.total > 0, q
        assert _key(bounded) == _key(exact), q
        if bounded.total_exact:
            assert bounded.total == exact.total, q
        else:
            estimated += 1
            assert abs(bounded.total - exact.total) <= MAX_ERROR * exact.total, (
                q,
                bounded.total,
                exact.total,
            )
            assert bounded.total_text.startswith("about "), q
    assert estimated >= 2  # the bounded path ran and estimated


def test_bounded_path_on_the_bundled_library(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    ix = LibraryIndex(Library.load(ROOT / "library"))
    ix.update()
    for q in ("agen*", "mode*", "thin*", "velocty~"):
        exact, bounded = _both(ix, monkeypatch, q, lazy_min=20)
        assert _key(bounded) == _key(exact), q
        assert abs(bounded.total - exact.total) <= MAX_ERROR * exact.total + 2, q


def test_one_word_is_counted_exactly(synth_index, monkeypatch):
    ix, _ = synth_index
    exact, bounded = _both(ix, monkeypatch, "like")
    assert bounded.total_exact and bounded.total == exact.total
    assert _key(bounded) == _key(exact)


def test_cli_says_about_and_json_flags_the_estimate(synth_index, monkeypatch, capsys):
    from reader.cli_search import run_search

    _, lib_dir = synth_index
    from reader.search import running

    monkeypatch.setattr(running, "FAST_TERM_MIN", 1)
    monkeypatch.setattr(topterm, "LAZY_MIN", 200)
    args = dict(library=str(lib_dir), episode=None, kind=None, limit=5, rebuild=False)
    assert run_search(argparse.Namespace(query="like*", json=True, **args)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_exact"] is False and data["total"] > 0
    assert run_search(argparse.Namespace(query="like*", json=False, **args)) == 0
    out = capsys.readouterr().out
    assert f"about {data['total']:,} matches" in out
