"""Hostile input to the search index: costly queries, queries that fail, damaged index
files, and other processes writing at the same time. Each says what is happening; none
loses a healthy index."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import threading
from pathlib import Path

import pytest

from reader.library import Library
from reader.search import LibraryIndex
from reader.search import batching as batching_mod
from reader.search import indexer as indexer_mod
from reader.search import running as running_mod
from reader.search.hashcache import STAT_CACHE

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "library"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("READER_CACHE_DIR", str(d))
    return d


@pytest.fixture
def lib(tmp_path, cache):
    if not (BUNDLED / ".reader-library").exists():
        pytest.skip("bundled library not present")
    dst = tmp_path / "lib"
    shutil.copytree(BUNDLED, dst)
    return dst


def broken_copies(ix: LibraryIndex) -> list[Path]:
    return list(ix.index_dir.parent.glob(ix.index_dir.name + ".broken-*"))


def built(lib: Path) -> LibraryIndex:
    ix = LibraryIndex(Library.load(lib))
    rep = ix.update()
    assert rep.added == 2
    return ix


# --- queries -----------------------------------------------------------------------------


def test_huge_edit_distance_is_capped_with_a_note(lib):
    ix = built(lib)
    res = ix.search("velocity~99")
    assert res.error is None and res.total > 0
    assert any("at most 2 edits" in n for n in res.notes)


def test_prefix_standing_for_many_words_is_capped_with_a_note(lib, monkeypatch):
    from reader.search import language

    monkeypatch.setattr(language, "MAX_EXPANSIONS", 5)
    ix = built(lib)
    res = ix.search("a*")
    assert res.error is None and res.total > 0
    assert any("searched the 5 most frequent" in n for n in res.notes)
    assert len(res.matcher.stems) <= 5


def test_a_cancelled_search_stops_and_says_so(lib):
    ix = built(lib)
    cancel = threading.Event()
    cancel.set()
    res = ix.search("claude", cancel=cancel)
    assert res.error is None and not res.total_exact
    assert any("cancelled" in n for n in res.notes)


def test_a_search_out_of_time_stops_and_says_so(lib, monkeypatch):
    monkeypatch.setattr(running_mod, "TIME_LIMIT_S", 0.0)
    ix = built(lib)
    res = ix.search("claude")
    assert res.error is None and any("stopped after" in n for n in res.notes)


def test_time_field_query_is_an_error_not_index_damage(lib):
    ix = built(lib)
    res = ix.search("time:0")
    assert res.error and "time" in res.error
    rep = LibraryIndex(Library.load(lib)).update()
    assert rep.rebuilt is None and rep.unchanged == 2 and not broken_copies(ix)


def test_a_query_that_fails_on_a_healthy_index_does_not_rebuild_it(lib, monkeypatch):
    ix = built(lib)

    def boom(*a, **k):
        raise TypeError("unexpected")

    monkeypatch.setattr(running_mod, "run_search", boom)
    res = ix.search("claude")
    assert res.error and "could not be run" in res.error
    monkeypatch.undo()
    assert ix._needs_rebuild is None
    rep = ix.update()
    assert rep.rebuilt is None and rep.unchanged == 2 and not broken_copies(ix)


# --- damaged files --------------------------------------------------------------------------


def _files(ix: LibraryIndex, suffix: str) -> list[Path]:
    return sorted(p for p in ix.index_dir.iterdir() if p.name.endswith(suffix))


def _scramble(path: Path, head: int | None = None) -> None:
    rng = random.Random(13)
    size = path.stat().st_size
    n = size if head is None else min(head, size)
    data = bytearray(path.read_bytes())
    data[:n] = bytes(rng.randrange(256) for _ in range(n))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("what", ["toc", "segment head"])
def test_random_bytes_in_index_files_set_aside_and_rebuilt(lib, what):
    ix = built(lib)
    ix.close()
    if what == "toc":
        _scramble(_files(ix, ".toc")[-1])
    else:
        _scramble(_files(ix, ".seg")[-1], head=4096)
    ix2 = LibraryIndex(Library.load(lib))
    notices: list[str] = []
    rep = ix2.update(notice=notices.append)
    assert rep.rebuilt and rep.added == 2
    assert broken_copies(ix2)
    assert any("rebuilding" in n for n in notices)  # said before the rebuild, not after
    assert ix2.search("lego").total > 0


def test_nested_brackets_in_hash_cache_are_ignored(lib):
    ix = built(lib)
    ix.close()
    (ix.index_dir / STAT_CACHE).write_text("[" * 100000)
    rep = LibraryIndex(Library.load(lib)).update()
    assert rep.rebuilt is None and rep.unchanged == 2 and rep.touched == 0
    assert (ix.index_dir / STAT_CACHE).read_text().startswith("{")


# --- other processes ----------------------------------------------------------------------


def _hold_writer(lib_dir: str, cache: str, ready, release) -> None:
    """Another reader process in the middle of a rebuild: it holds the writer and says
    how far it got."""
    os.environ["READER_CACHE_DIR"] = cache
    ix = LibraryIndex(Library.load(Path(lib_dir)))
    w = ix._index().writer()
    ix._set_status("rebuilding", 1, 2)
    ready.set()
    release.wait(60)
    w.cancel()


def _args(lib: Path, **kw) -> argparse.Namespace:
    base = dict(library=str(lib), episode=None, kind=None, limit=20, json=False, rebuild=False)
    base.update(kw)
    return argparse.Namespace(**base)


def test_second_index_beside_a_rebuild_says_what_is_happening(lib, cache, capsys, monkeypatch):
    from reader.cli_search import run_index, run_search

    built(lib).close()
    monkeypatch.setattr(indexer_mod, "LOCK_WAIT_S", 0.2)
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    p = ctx.Process(target=_hold_writer, args=(str(lib), str(cache), ready, release))
    p.start()
    try:
        assert ready.wait(30)
        shutil.rmtree(lib / "redpoint-douglas-claude-4")  # something to do
        assert run_index(_args(lib)) == 1
        captured = capsys.readouterr()
        assert (
            "added" not in captured.out and "searchable now" in captured.out
        )  # no counts of work not done
        err = captured.err
        assert (
            f"another reader process (pid {p.pid}) is rebuilding the search index: 1/2 episodes"
            in err
        )
        assert "not updated" in err
        assert run_search(_args(lib, query="lego")) == 0
        captured = capsys.readouterr()
        assert f"pid {p.pid}" in captured.err and "results so far" in captured.err
    finally:
        release.set()
        p.join(30)


def test_searches_during_a_build_say_how_much_is_searchable(lib, monkeypatch):
    monkeypatch.setattr(batching_mod, "FIRST_COMMIT_S", 0.0)  # commit the first episode at once
    ix = LibraryIndex(Library.load(lib))
    reached, go_on = threading.Event(), threading.Event()

    def progress(done, total, ep):
        if done == 1:
            reached.set()
            go_on.wait(30)

    t = threading.Thread(target=lambda: ix.update(progress))
    t.start()
    try:
        assert reached.wait(60)
        res = ix.search("claude")
        assert res.error is None
        assert res.notice and "indexing: 1 of 2 episodes" in res.notice
    finally:
        go_on.set()
        t.join(60)
    assert ix.search("claude").notice is None


def _killed_build(lib_dir: str, cache: str, started) -> None:
    os.environ["READER_CACHE_DIR"] = cache
    batching_mod.BATCH_EPISODES = 1

    def progress(i, n, e):
        if i >= 2:
            started.set()

    LibraryIndex(Library.load(Path(lib_dir))).update(progress)


def test_after_a_killed_build_the_next_update_says_it_finishes_it(tmp_path, cache):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    lib_dir = synth.generate(tmp_path / "syn", episodes=12, words=3000, claims=10)
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()
    p = ctx.Process(target=_killed_build, args=(str(lib_dir), str(cache), started))
    p.start()
    assert started.wait(60)
    p.kill()
    p.join(10)
    ix = LibraryIndex(Library.load(lib_dir))
    first = ix.search("zzzz")
    assert first.error is None
    notices: list[str] = []
    rep = ix.update(notice=notices.append)
    assert rep.rebuilt is None and rep.unchanged >= 1 and rep.added >= 1
    assert any("interrupted" in n for n in notices), notices
    assert ix.search("zzzz").notice is None
