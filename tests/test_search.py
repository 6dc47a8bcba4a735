"""Search index and queries (reader.search) on the bundled library and small synthetic ones."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import paths
from reader.library import Library
from reader.search import LibraryIndex, SearchResults
from reader.search import batching as batching_mod
from reader.search import indexer as indexer_mod
from reader.search import storage as storage_mod
from reader.search.highlight import snippet_for

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "library"
DOUGLAS = "redpoint-douglas-claude-4"
INTERCONNECTS = "interconnects-claude-4-bet-on-code"
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundled library, indexed once, in a private cache dir."""
    mp = pytest.MonkeyPatch()
    cache = tmp_path_factory.mktemp("cache")
    mp.setenv("READER_CACHE_DIR", str(cache))
    lib = Library.load(BUNDLED)
    ix = LibraryIndex(lib)
    report = ix.update()
    assert str(cache) in str(ix.index_dir)
    yield ix, report
    ix.close()
    mp.undo()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def lib_copy(tmp_path, cache):
    dest = tmp_path / "lib"
    shutil.copytree(BUNDLED, dest)
    return dest


@pytest.fixture
def small_lib(tmp_path, cache):
    """One real (short) episode and one tiny synthetic one: quick to rebuild."""
    import synth

    dest = tmp_path / "small"
    synth.generate(dest, episodes=1, words=600, claims=5)
    shutil.copytree(BUNDLED / INTERCONNECTS, dest / INTERCONNECTS)
    return dest


def covers(hit, line: int) -> bool:
    return hit.line_start <= line <= hit.line_end


def check_spans(res: SearchResults) -> None:
    for h in res.hits:
        for a, b in h.spans:
            assert 0 <= a < b <= len(h.snippet)
            assert h.snippet[a:b].strip() == h.snippet[a:b]
        assert h.highlight.replace("«", "").replace("»", "") == h.snippet


# --- the done-when cases ----------------------------------------------------------------


def test_build_report_and_location(built):
    ix, report = built
    assert report.added == 2 and report.problems == []
    assert ix.index_dir.parent.name == "index"
    assert "cache" in str(ix.index_dir) and BUNDLED not in ix.index_dir.parents
    assert ix.index_dir.name == paths.library_key(BUNDLED)


def test_phrase_escape_velocity_both_transcript_places(built):
    ix, _ = built
    res = ix.search('"escape velocity"', kind="transcript")
    assert res.error is None
    hits = res.hits
    # both places the interview says it: "admin escape velocity" and, as the captions
    # wrote it, "the scape velocity of uh of admin" -- the exact one first
    assert covers(hits[0], 434)
    assert any(covers(h, 1550) for h in hits[1:])
    assert res.total == 2
    exact = hits[0]
    near = next(h for h in hits if covers(h, 1550))
    assert "scape velocity" in [near.snippet[a:b] for a, b in near.spans]
    for h in hits:
        assert h.timestamp != "--:--:--" and h.seconds > 0
        assert h.unit_start is not None and h.unit_end >= h.unit_start
    assert "escape velocity" in [exact.snippet[a:b] for a, b in exact.spans]
    check_spans(res)
    # and the summary claim says it too
    allres = ix.search('"escape velocity"')
    assert any(h.kind == "summary" for h in allres.hits)


def test_phrase_near_spelling_fallback(built):
    """No exact match: near spellings of the longer phrase words are tried. ASR wrote
    "the scape velocity of uh of admin" at line 1550."""
    ix, _ = built
    res = ix.search('"escape velocity of uh"', kind="transcript")
    assert res.error is None and res.total >= 1
    near = next(h for h in res.hits if covers(h, 1550))
    assert [near.snippet[a:b] for a, b in near.spans][:1] == ["scape velocity"]
    check_spans(res)
    assert ix.search('"escape velocity of uh"', kind="summary").total == 0


def test_lego_claim_and_passage(built):
    ix, _ = built
    res = ix.search("lego")
    kinds = {h.kind for h in res.hits}
    assert kinds == {"summary", "transcript"}
    claim = next(h for h in res.hits if h.kind == "summary")
    assert claim.timestamp == "00:51:56"
    assert claim.summary_index is not None and claim.claim_index is not None
    assert claim.path.endswith("000_6919f514f7a019ae.txt")
    assert any(h.kind == "transcript" and covers(h, 1628) for h in res.hits)
    check_spans(res)


def test_stemming_agent_finds_agents(built):
    ix, _ = built
    res = ix.search("agent")
    matched = {h.snippet[a:b].lower() for h in res.hits for a, b in h.spans}
    assert "agents" in matched


def test_suggestion(built):
    ix, _ = built
    res = ix.search("escpae velocty")
    assert res.total == 0 and res.hits == []
    assert res.suggestion == "escape velocity"
    res = ix.search('"escpae velocty"')
    assert res.suggestion == '"escape velocity"'
    assert ix.search("velocity").suggestion is None


# --- query features -----------------------------------------------------------------------


def test_prefix_and_fuzzy(built):
    ix, _ = built
    res = ix.search("agen*")
    words = {h.snippet[a:b].lower() for h in res.hits for a, b in h.spans}
    assert words & {"agent", "agents", "agentic"}
    res = ix.search("velocty~")
    assert res.total >= 2
    assert all("velocity" in h.text.lower() for h in res.hits)
    assert {h.snippet[a:b].lower() for h in res.hits for a, b in h.spans} == {"velocity"}
    assert ix.search("velocit*").total >= 2  # prefix on unstemmed words


def test_field_filters(built):
    ix, _ = built
    assert {h.kind for h in ix.search("kind:summary lego").hits} == {"summary"}
    assert {h.kind for h in ix.search("lego", kind="transcript").hits} == {"transcript"}
    res = ix.search("claude", episode="interconnects-claude-4-bet-on-code")
    assert res.total > 0 and {h.episode for h in res.hits} == {"interconnects-claude-4-bet-on-code"}
    res2 = ix.search("claude episode:interconnects-claude-4-bet-on-code")
    assert res2.total == res.total
    assert (
        ix.search("lego", kind="transcript").total + ix.search("lego", kind="summary").total
        == ix.search("lego").total
    )
    assert ix.search("lego", kind="nonsense").error


def test_boolean(built):
    ix, _ = built
    lego, vel = ix.search("lego").total, ix.search("velocity").total
    assert ix.search("lego OR velocity", limit=50).total == lego + vel  # never together
    assert ix.search("lego AND velocity").total == 0
    both = ix.search("lego sharks").total
    assert 0 < both <= lego
    assert ix.search("lego NOT sharks").total == lego - both
    assert ix.search("(lego OR velocity) AND physics").total >= 1


@pytest.mark.parametrize(
    "q", ["AND", "(((", "kind:", '""', "", "   ", "NOT", "x:y", "OR OR", "the"]
)
def test_null_queries_give_one_line_error(built, q):
    ix, _ = built
    res = ix.search(q)
    assert res.error and "\n" not in res.error
    assert res.hits == []


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(
            list('abcegloruvy "*?~:()[]{}^-+!\\/AND OR NOT kind:episode:') + ["é", "\x00", "🙂"]
        ),
        max_size=30,
    )
)
def test_arbitrary_queries_never_raise(built, q):
    ix, _ = built
    res = ix.search(q, limit=3)
    assert isinstance(res, SearchResults)
    check_spans(res)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_arbitrary_unicode_queries_never_raise(built, q):
    ix, _ = built
    assert isinstance(ix.search(q, limit=2), SearchResults)


# --- highlighting -----------------------------------------------------------------------


def test_spans_beyond_32k_chars():
    text = "filler words here. " * 2000 + "the rocket reached escape velocity at last"
    assert len(text) > 32_768
    snippet, spans = snippet_for(text, stemmed={"escap", "veloc"}, raw=set())
    assert [snippet[a:b] for a, b in spans] == ["escape velocity"]
    assert snippet.startswith("…")


def test_long_unit_indexed_and_highlighted(lib_copy):
    ep = lib_copy / "interconnects-claude-4-bet-on-code"
    words = " ".join(f"word{i % 97}" for i in range(7000))
    (ep / "004_f7680c2586fcded3.txt").write_text(words + " zanzibar lighthouse\n", encoding="utf-8")
    ix = LibraryIndex(Library.load(lib_copy))
    ix.update()
    res = ix.search("zanzibar")
    assert res.total == 1
    h = res.hits[0]
    assert [h.snippet[a:b] for a, b in h.spans] == ["zanzibar"]


# --- incremental updates ------------------------------------------------------------------


def test_unchanged_library_opens_no_writer(small_lib, monkeypatch):
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    ix.close()
    from whoosh.index import FileIndex

    def no_writer(*a, **k):
        raise AssertionError("writer opened for an unchanged library")

    monkeypatch.setattr(FileIndex, "writer", no_writer)
    ix2 = LibraryIndex(Library.load(small_lib))
    rep = ix2.update()
    assert (rep.added, rep.changed, rep.removed, rep.unchanged) == (0, 0, 0, 2)
    assert ix2.search("claude").total > 0


def test_changed_and_removed_episodes(lib_copy):
    ix = LibraryIndex(Library.load(lib_copy))
    ix.update()
    assert ix.search("lego").total > 0
    before = ix.search("claude", episode=DOUGLAS).total
    t = lib_copy / "interconnects-claude-4-bet-on-code" / "004_f7680c2586fcded3.txt"
    t.write_text(
        t.read_text(encoding="utf-8") + "\nA new sentence about quokkas.\n", encoding="utf-8"
    )
    calls = []
    ix2 = LibraryIndex(Library.load(lib_copy))
    rep = ix2.update(lambda i, n, e: calls.append((i, n, e)))
    assert (rep.added, rep.changed, rep.removed, rep.unchanged) == (0, 1, 0, 1)
    assert calls == [(1, 1, "interconnects-claude-4-bet-on-code")]
    assert ix2.search("quokkas").total == 1
    assert ix2.search("claude", episode=DOUGLAS).total == before
    shutil.rmtree(lib_copy / DOUGLAS)
    ix3 = LibraryIndex(Library.load(lib_copy))
    rep = ix3.update()
    assert (rep.removed, rep.unchanged) == (1, 1)
    assert ix3.search("lego").total == 0
    assert ix3.search(f"episode:{DOUGLAS}").total == 0


def test_unreadable_episode_reported_others_indexed(small_lib):
    bad = small_lib / "interconnects-claude-4-bet-on-code" / "004_f7680c2586fcded3.txt"
    bad.write_bytes(b"\x00\x01\x02binary" * 100)
    ix = LibraryIndex(Library.load(small_lib))
    rep = ix.update()
    assert len(rep.problems) == 1 and "004_f7680c2586fcded3.txt" in rep.problems[0]
    assert "\n" not in rep.problems[0]
    assert ix.search("episode:ep00000").total > 0
    rep2 = LibraryIndex(Library.load(small_lib)).update()
    assert rep2.unchanged == 2 and rep2.problems == rep.problems  # still reported, not redone


# --- damage, versions, locks, kills -------------------------------------------------------


def _segment_files(d: Path) -> list[Path]:
    return [
        p for p in d.iterdir() if p.suffix == ".seg" or p.name.endswith((".trm", ".pst", ".fvz"))
    ]


def test_truncated_segment_rebuilt(small_lib):
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    ix.close()
    segs = sorted(_segment_files(ix.index_dir), key=lambda p: p.stat().st_size)
    assert segs
    big = segs[-1]
    big.write_bytes(big.read_bytes()[: big.stat().st_size // 3])
    ix2 = LibraryIndex(Library.load(small_lib))
    rep = ix2.update()
    assert rep.rebuilt and rep.added == 2
    assert ix2.search("claude").total > 0
    assert list(ix.index_dir.parent.glob(ix.index_dir.name + ".broken-*"))


def test_missing_toc_rebuilt(small_lib):
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    ix.close()
    for toc in ix.index_dir.glob("*.toc"):
        toc.unlink()
    ix2 = LibraryIndex(Library.load(small_lib))
    assert ix2.search("claude").total == 0 or True  # opening never raises
    rep = ix2.update()
    assert rep.added == 2
    assert ix2.search("claude").total > 0


def test_schema_version_change_rebuilt(small_lib, monkeypatch):
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    ix.close()
    monkeypatch.setattr(storage_mod, "SCHEMA_VERSION", storage_mod.SCHEMA_VERSION + 1)
    ix2 = LibraryIndex(Library.load(small_lib))
    rep = ix2.update()
    assert rep.rebuilt and "schema" in rep.rebuilt and rep.added == 2
    rep = LibraryIndex(Library.load(small_lib)).update()
    assert rep.rebuilt is None and rep.unchanged == 2


def test_locked_by_another_writer(small_lib, monkeypatch):
    monkeypatch.setattr(indexer_mod, "LOCK_WAIT_S", 0.2)
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    other = ix._index().writer()  # another process's writer, in effect
    try:
        shutil.rmtree(small_lib / "ep00000")
        ix2 = LibraryIndex(Library.load(small_lib))
        rep = ix2.update()
        assert rep.locked and any("another reader process" in p for p in rep.problems)
        assert ix2.search("claude").total > 0  # the existing index still answers
    finally:
        other.cancel()
    rep = LibraryIndex(Library.load(small_lib)).update()
    assert rep.removed == 1 and not rep.locked


def _child_build(lib_dir: str, cache: str, started) -> None:
    os.environ["READER_CACHE_DIR"] = cache
    batching_mod.BATCH_EPISODES = 1  # commit after every episode

    def progress(i, n, e):
        started.set()

    LibraryIndex(Library.load(Path(lib_dir))).update(progress)


def test_killed_indexer_leaves_an_index_that_opens(tmp_path, cache):
    import synth

    lib_dir = synth.generate(tmp_path / "syn", episodes=12, words=3000, claims=10)
    ctx = multiprocessing.get_context("fork")
    started = ctx.Event()
    p = ctx.Process(target=_child_build, args=(str(lib_dir), str(cache), started))
    p.start()
    assert started.wait(60)
    p.terminate()
    p.join(10)
    lib = Library.load(lib_dir)
    ix = LibraryIndex(lib)
    assert ix.search("zzzz").error is None  # opens and searches
    rep = ix.update()
    assert rep.rebuilt is None  # nothing to set aside
    assert rep.added + rep.unchanged == 12 and rep.added >= 1
    assert LibraryIndex(lib).update().unchanged == 12


# --- CLI --------------------------------------------------------------------------------


def _args(**kw):
    base = dict(library=str(BUNDLED), episode=None, kind=None, limit=20, json=False, rebuild=False)
    base.update(kw)
    return argparse.Namespace(**base)


def test_cli_search_json(cache, capsys):
    from reader.cli_search import run_search

    assert run_search(_args(query="lego", json=True)) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"query", "total", "suggestion", "hits"} <= set(data)
    hit = data["hits"][0]
    for key in (
        "episode",
        "title",
        "kind",
        "path",
        "line_start",
        "line_end",
        "seconds",
        "timestamp",
        "text",
        "highlight",
        "score",
    ):
        assert key in hit
    assert any(h["timestamp"] == "00:51:56" for h in data["hits"])


def test_cli_search_human_and_errors(cache, capsys):
    from reader.cli_search import run_index, run_search

    assert run_search(_args(query="escpae velocty")) == 0
    out = capsys.readouterr().out
    assert "did you mean: escape velocity" in out
    assert run_search(_args(query="(((")) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ['reader: error: query "(((" has no words to search for']
    assert run_search(_args(query="lego [bold]x[/bold]")) == 0  # file/query text is never markup
    assert run_index(_args()) == 0
    assert "0 added, 0 changed, 0 removed, 2 unchanged" in capsys.readouterr().out


# --- threads ------------------------------------------------------------------------------


def test_search_while_another_thread_rebuilds(small_lib, monkeypatch):
    """A search that starts while update(rebuild=True) is recreating the index waits for
    the new index; it never sets the half-made folder aside or builds one of its own."""
    import threading

    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    creating = threading.Event()
    real_create = storage_mod.FileStorage.create_index

    def slow_create(*a, **k):
        out = real_create(*a, **k)
        creating.set()
        import time

        time.sleep(0.5)  # the folder has a TOC but no reader-index.json yet
        return out

    monkeypatch.setattr(storage_mod.FileStorage, "create_index", slow_create)
    set_aside: list[str] = []
    real_set_aside = LibraryIndex._set_aside

    def spy(self, why):
        set_aside.append(why)
        return real_set_aside(self, why)

    monkeypatch.setattr(LibraryIndex, "_set_aside", spy)
    reports = []
    t = threading.Thread(target=lambda: reports.append(ix.update(rebuild=True)))
    t.start()
    assert creating.wait(10)
    res = ix.search("claude")  # starts mid-creation
    t.join(30)
    assert res.error is None
    assert reports[0].added == 2 and not reports[0].problems
    assert ix.search("claude").total > 0
    assert set_aside == ["rebuild requested"]  # the half-made index was not set aside
    rep = LibraryIndex(Library.load(small_lib)).update()
    assert (rep.unchanged, rep.added, rep.rebuilt) == (2, 0, None)


# --- snippets -------------------------------------------------------------------------------


def test_snippets_are_short_whole_word_fragments(built):
    ix, _ = built
    for q in ("agent", "lego", '"escape velocity"', "velocit*", "claude model"):
        res = ix.search(q, limit=50)
        assert res.hits, q
        check_spans(res)
        for h in res.hits:
            assert len(h.snippet) <= 202, (q, h.snippet)
            body = h.snippet.removeprefix("…").removesuffix("…")
            assert body in " ".join(h.text.split()) or body in h.text
            if h.snippet.startswith("…"):
                start = h.text.index(body)
                assert start == 0 or not h.text[start - 1].isalnum()  # cut between words
            if h.snippet.endswith("…"):
                end = h.text.index(body) + len(body)
                assert end == len(h.text) or not h.text[end].isalnum()
            assert h.spans or q == "claude model"
            if h.kind == "summary" and len(h.text.strip(" .,;:")) <= 200:
                assert "…" not in h.snippet[:1] + h.snippet[-1:]  # a short claim is whole


def test_snippet_centres_on_the_densest_matches():
    text = (
        ("alpha " * 60)
        + "the rocket reached escape velocity quickly "
        + ("omega " * 60)
        + "velocity"
    )
    snippet, spans = snippet_for(text, stemmed={"escap", "veloc"}, raw=set())
    assert len(snippet) <= 202 and snippet.startswith("…") and snippet.endswith("…")
    assert [snippet[a:b] for a, b in spans] == ["escape velocity"]
    short, spans = snippet_for("Lego sharks underwater.", stemmed={"lego"}, raw=set())
    assert short == "Lego sharks underwater." and spans == [(0, 4)]


# --- light reopen, parse/sync failures ----------------------------------------------------------


def test_reopen_touches_no_segment(small_lib, monkeypatch):
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    ix.close()

    def boom(*a, **k):
        raise AssertionError("segments read on an unchanged reopen")

    monkeypatch.setattr(LibraryIndex, "_check", boom)
    monkeypatch.setattr(LibraryIndex, "_indexed", staticmethod(boom))
    rep = LibraryIndex(Library.load(small_lib)).update()
    assert (rep.unchanged, rep.added, rep.rebuilt) == (2, 0, None)


def test_manifest_of_another_generation_is_not_trusted(small_lib):
    ix = LibraryIndex(Library.load(small_lib))
    ix.update()
    ix.close()
    m = json.loads((ix.index_dir / storage_mod.MANIFEST).read_text())
    m["episodes"] = {}  # a stale manifest: claims the index is empty
    m["generation"] -= 1
    (ix.index_dir / storage_mod.MANIFEST).write_text(json.dumps(m))
    rep = LibraryIndex(Library.load(small_lib)).update()
    assert (rep.unchanged, rep.added) == (2, 0)  # read from the markers instead


def test_alignment_failure_reported_others_indexed(small_lib, monkeypatch):
    import reader.sync as sync

    real = sync.align_cached

    def flaky(transcript, summaries, duration=None):
        if "ep00000" in str(transcript.path):
            raise RuntimeError("engine exploded\non two lines")
        return real(transcript, summaries, duration)

    monkeypatch.setattr(sync, "align_cached", flaky)
    ix = LibraryIndex(Library.load(small_lib))
    rep = ix.update()
    assert rep.added == 2 and len(rep.problems) == 1
    line = rep.problems[0]
    assert (
        "\n" not in line
        and "ep00000" in line
        and "transcript.txt" in line
        and "RuntimeError" in line
    )
    assert ix.search("episode:ep00000").total == 0
    assert ix.search("claude", episode=INTERCONNECTS).total > 0
    rep2 = LibraryIndex(Library.load(small_lib)).update()
    assert rep2.unchanged == 2 and rep2.problems == rep.problems  # still shown, not redone


def test_parse_notes_only_from_reader_index(cache, capsys):
    from reader.cli_search import run_index, run_search

    assert run_search(_args(query="lego")) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # the bundled summary's repeated copy is not worth a warning here
    assert run_index(_args(rebuild=True)) == 0
    err = capsys.readouterr().err
    assert "dropped a repeated copy" in err and err.count("\n") == len(err.splitlines())


def test_cli_human_header(cache, capsys):
    import re

    from reader.cli_search import run_search

    assert run_search(_args(query="lego", limit=3)) == 0
    out = capsys.readouterr().out.splitlines()
    heads = [line for line in out if " · " in line]
    assert len(heads) == 3
    for line in heads:
        m = re.fullmatch(
            r"\S.* · (~?)\d\d:\d\d:\d\d · (transcript|summary) · lines? \d+(–\d+)?", line
        )
        assert m, line
        # untimed captions: a transcript time is an estimate; a summary gives its own
        assert (m[1] == "~") == (m[2] == "transcript"), line
    body = [line for line in out if line.startswith("    ")]
    assert body and all(len(line) <= 80 for line in out)


@pytest.mark.parametrize("q", ["model", "agen*", "velocty~", "like"])
def test_block_scoring_ranks_as_whoosh_does(built, monkeypatch, q):
    """The block-at-a-time scoring of a word or an OR of words (topterm.py) gives the
    same hits, scores and total as Whoosh's own collector."""
    from reader.search import running

    ix, _ = built
    monkeypatch.setattr(running, "FAST_TERM_MIN", 10**9)
    slow = ix.search(q, limit=30)
    monkeypatch.setattr(running, "FAST_TERM_MIN", 1)
    fast = ix.search(q, limit=30)
    assert slow.total > 0 and fast.total >= slow.total  # Whoosh's count can miss OR matches
    key = lambda r: [(h.episode, h.line_start, round(h.score, 4)) for h in r.hits]  # noqa: E731
    assert key(fast) == key(slow)


def test_block_scoring_skips_deleted_passages(lib_copy, monkeypatch):
    """After an episode changed, its old passages are deleted documents in an older
    segment: block scoring leaves them out, as Whoosh does."""
    from reader.search import running

    ix = LibraryIndex(Library.load(lib_copy))
    ix.update()
    transcript = next(
        p for p in (lib_copy / "redpoint-douglas-claude-4").iterdir() if p.name.startswith("003_")
    )
    transcript.write_text(
        transcript.read_text(encoding="utf-8") + "\nthe model again\n", encoding="utf-8"
    )
    ix = LibraryIndex(Library.load(lib_copy))
    assert ix.update().changed == 1
    monkeypatch.setattr(running, "FAST_TERM_MIN", 10**9)
    slow = ix.search("model", limit=30)
    monkeypatch.setattr(running, "FAST_TERM_MIN", 1)
    used = []
    real = running.top_of_terms
    monkeypatch.setattr(
        running, "top_of_terms", lambda *a, **k: used.append(real(*a, **k)) or used[-1]
    )
    fast = ix.search("model", limit=30)
    assert used and used[0] is not None  # the block path ran, despite the deletions
    assert fast.total == slow.total and fast.total_exact
    assert [(h.episode, h.line_start) for h in fast.hits] == [
        (h.episode, h.line_start) for h in slow.hits
    ]


# --- speakers -----------------------------------------------------------------------------


@pytest.fixture
def lenny_lib(tmp_path, cache):
    """A real speaker-labelled transcript ("Name (hh:mm:ss):" turns) as a library."""
    from material import bench

    src = bench("formats/transcripts/lenny_ada-chen-rekhi_transcript.md")
    ep = tmp_path / "lib" / "lenny-ada"
    ep.mkdir(parents=True)
    shutil.copy(src, ep / "transcript.md")
    (ep / "episode.toml").write_text(
        'title = "Ada Chen Rekhi"\ntranscript = "transcript.md"\nsummaries = []\n',
        encoding="utf-8",
    )
    return ep.parent


def test_speaker_filter_finds_only_that_speakers_passages(lenny_lib):
    ix = LibraryIndex(Library.load(lenny_lib))
    ix.update()
    transcript = (lenny_lib / "lenny-ada" / "transcript.md").read_text(encoding="utf-8")
    both = ix.search("growth", limit=50)
    lenny = ix.search("speaker:lenny growth", limit=50)
    ada = ix.search('speaker:"ada chen" growth', limit=50)
    assert lenny.error is None and lenny.hits
    assert {h.speaker for h in lenny.hits} == {"Lenny"}
    assert {h.speaker for h in ada.hits} <= {"Ada Chen Rekhi"}
    assert lenny.total + ada.total == both.total  # every passage has one named speaker
    for hit in lenny.hits:
        assert "growth" in hit.text.lower()
        # the passage's first line is under a "Lenny (..):" label in the file
        above = transcript.splitlines()[: hit.line_start]
        label = next(ln for ln in reversed(above) if ln.endswith("):"))
        assert label.startswith("Lenny (")
    # a speaker alone lists their passages; a name nobody has finds nothing
    alone = ix.search("speaker:lenny", limit=1000)
    assert alone.total > lenny.total and {h.speaker for h in alone.hits} == {"Lenny"}
    assert ix.search("speaker:nobody growth").total == 0
    ix.close()


def test_cli_search_shows_the_speaker(lenny_lib, capsys):
    from reader.cli_search import run_search

    assert run_search(_args(library=str(lenny_lib), query="speaker:lenny podcast")) == 0
    out = capsys.readouterr().out
    assert " · transcript · Lenny · line" in out
    assert run_search(_args(library=str(lenny_lib), query="speaker:lenny podcast", json=True)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hits"] and {h["speaker"] for h in data["hits"]} == {"Lenny"}


# --- a search of an unchanged library loads no episode -------------------------------------


def _age(root: Path, seconds: float = 60.0) -> None:
    """Every file and folder of ``root`` as if last written ``seconds`` ago (a stat this
    recent could change again unseen, so nothing newer than 2 s is trusted)."""
    t = os.path.getmtime(root) - seconds
    for p in [root, *root.rglob("*")]:
        os.utime(p, (t, t))


def test_unchanged_library_search_skips_loading_episodes(lib_copy, capsys, monkeypatch):
    from reader import cli_search

    (lib_copy / "broken").mkdir()  # one folder that is no episode: warned about every time
    _age(lib_copy)
    args = _args(library=str(lib_copy), query="lego", json=True)
    assert cli_search.run_search(args) == 0
    first = capsys.readouterr()
    assert "broken" in first.err

    def no_load(*a, **k):
        raise AssertionError("Library.load called for an unchanged library")

    with monkeypatch.context() as m:
        m.setattr(Library, "load", no_load)
        assert cli_search.run_search(args) == 0
    again = capsys.readouterr()
    assert json.loads(again.out)["hits"] == json.loads(first.out)["hits"]
    assert again.err == first.err  # the same warnings, once each

    # an edited transcript (its size and mtime change) is noticed: loaded and re-indexed
    t = next((lib_copy / INTERCONNECTS).glob("004_*.txt"))
    with t.open("a", encoding="utf-8") as f:
        f.write("\nA zanzibarian aside.\n")
    _age(lib_copy)
    assert cli_search.run_search(_args(library=str(lib_copy), query="zanzibarian")) == 0
    assert "1 match" in capsys.readouterr().out

    # a new episode folder too
    shutil.copytree(BUNDLED / INTERCONNECTS, lib_copy / "copy-of-interconnects")
    _age(lib_copy)
    new = _args(library=str(lib_copy), query="code", episode="copy-of-interconnects", json=True)
    assert cli_search.run_search(new) == 0
    assert json.loads(capsys.readouterr().out)["hits"]


def test_recent_changes_are_never_trusted(lib_copy, capsys, monkeypatch):
    """Files written within the last 2 s leave no snapshot: the next search loads them."""
    from reader import cli_search
    from reader.search import freshness
    from reader.search.indexer import default_index_dir

    with next((lib_copy / INTERCONNECTS).glob("004_*.txt")).open("a", encoding="utf-8") as f:
        f.write("\nJust written.\n")
    assert cli_search.run_search(_args(library=str(lib_copy), query="lego")) == 0
    capsys.readouterr()
    assert not (default_index_dir(lib_copy) / freshness.SNAPSHOT).exists()
    _age(lib_copy)
    assert cli_search.run_search(_args(library=str(lib_copy), query="lego")) == 0
    assert (default_index_dir(lib_copy) / freshness.SNAPSHOT).exists()
