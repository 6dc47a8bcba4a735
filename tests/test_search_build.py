"""Round 4 of the search index (issue 13): a bulk build without the sync engine (hit
times from hit_times.py), the one-pass text analysis, the array phrase matcher, phrase
snippets, and the library's cache of episode folders."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from reader.library import Library
from reader.search import LibraryIndex
from reader.search import batching as batching_mod
from reader.search import running as running_mod
from reader.search.highlight import TermMatcher, snippet_for
from reader.search.schema import analyse, stemmed_analyzer
from reader.sync import align_cached

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "library"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def lib_copy(tmp_path, cache):
    dest = tmp_path / "lib"
    shutil.copytree(BUNDLED, dest)
    return dest


QUERIES = ["velocity", '"escape velocity"', "agents", "model", "kind:summary code", "claude"]


def _where_the_app_lands(lib: Library, hit) -> tuple[float, int | None, int | None]:
    """The time the app shows at a hit, from its own alignment (align_cached)."""
    ep = lib.get(hit.episode)
    al = align_cached(ep.transcript, ep.summaries, ep.known_duration_s)
    if hit.kind == "transcript":
        return al.unit_seconds[hit.unit_start], hit.unit_start, hit.unit_end
    ca = {c.claim.index: c for c in al.summaries[hit.summary_index]}[hit.claim_index]
    return hit.seconds, ca.unit_start, ca.unit_end


def _check_times(lib: Library, ix: LibraryIndex) -> int:
    n = 0
    for q in QUERIES:
        for hit in ix.search(q).hits:
            seconds, u0, u1 = _where_the_app_lands(lib, hit)
            assert hit.seconds == pytest.approx(seconds, abs=1e-9), (q, hit)
            assert (hit.unit_start, hit.unit_end) == (u0, u1), (q, hit)
            assert not hit.seconds_pending
            n += 1
    return n


def test_bulk_build_aligns_nothing_and_hits_land_where_the_app_does(lib_copy, monkeypatch):
    monkeypatch.setattr(batching_mod, "BULK_EPISODES", 1)  # the bundled library goes bulk
    ran: list[str] = []
    import reader.sync.engine as engine

    real = engine.align
    monkeypatch.setattr(engine, "align", lambda t, s, d=None: ran.append("align") or real(t, s, d))
    lib = Library.load(lib_copy)
    ix = LibraryIndex(lib)
    report = ix.update()
    assert report.added == len(lib.episodes) and not ran  # the build ran no alignment
    assert ix.times.pending()
    assert _check_times(lib, ix) > 10  # timed when shown: the app's own alignment
    assert ran
    ix.refine_times()
    assert not ix.times.pending()
    ran.clear()
    fresh = LibraryIndex(Library.load(lib_copy))  # another process: times from the files
    assert _check_times(lib, fresh) > 10
    fresh.close()
    ix.close()


def test_reader_index_leaves_no_hit_untimed(lib_copy, monkeypatch, capsys):
    from reader import cli_search

    monkeypatch.setattr(batching_mod, "BULK_EPISODES", 1)
    code = cli_search.main(["index", "--library", str(lib_copy)])
    assert code == 0
    ix = LibraryIndex(Library.load(lib_copy))
    assert not ix.times.pending()
    ix.close()


def test_one_pass_analysis_gives_the_analyzer_chains_postings():
    from whoosh import fields

    field = fields.TEXT(analyzer=stemmed_analyzer(), stored=True, phrase=True)
    texts = ["", "a I x", "The model, the MODEL's models", "İstanbul naïve rock’n’roll 3.5 e.g."]
    for path in sorted(BUNDLED.glob("*/*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        texts += [" ".join(lines[i : i + 4]) for i in range(0, min(len(lines), 400), 4)]
    for text in texts:
        assert sorted(analyse(text)) == sorted(field.index(text)), text


PHRASES = [
    '"escape velocity"',
    '"the model"',
    '"like like"',
    '"you know you know"',
    '"personal admin escape velocity"',
    '"a lot of"',
    '"going to be"',
    '"scape velocity"',
]


@pytest.mark.parametrize(
    "kw", [{}, {"kind": "transcript"}, {"episode": "redpoint-douglas-claude-4"}]
)
def test_array_phrase_matcher_matches_whooshs(cache, monkeypatch, kw):
    lib = Library.load(BUNDLED)
    ix = LibraryIndex(lib)
    ix.update()
    used: list[int] = []
    fast = running_mod.top_of_phrase

    def counting(*a, **k):
        got = fast(*a, **k)
        used.append(got is not None)
        return got

    for q in PHRASES:
        monkeypatch.setattr(running_mod, "top_of_phrase", counting)
        a = ix.search(q, **kw)
        monkeypatch.setattr(running_mod, "top_of_phrase", lambda *a, **k: None)
        b = ix.search(q, **kw)
        assert [(h.episode, h.unit_start, round(h.score, 6)) for h in a.hits] == [
            (h.episode, h.unit_start, round(h.score, 6)) for h in b.hits
        ], q
        assert (a.total, a.total_exact) == (b.total, b.total_exact), q
    assert used and all(used)  # the array matcher ran (never fell back)
    ix.close()


def test_phrase_snippet_shows_the_phrase_not_its_words_apart():
    text = (
        "Escape is what he wanted, and velocity was never the point of it all for him, "
        + "filler words go here to pad this passage out well past the snippet length " * 3
        + "until at last we reached escape velocity together."
    )
    m = TermMatcher(
        frozenset({"escap", "veloc"}), phrases=((frozenset({"escap"}), frozenset({"veloc"})),)
    )
    snippet, spans = snippet_for(text, matcher=m)
    assert "escape velocity" in snippet
    assert any(snippet[a:b] == "escape velocity" for a, b in spans)


def test_cli_phrase_snippets_hold_the_phrase(cache, capsys):
    from reader import cli_search

    assert (
        cli_search.main(["search", '"escape velocity"', "--library", str(BUNDLED), "--json"]) == 0
    )
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["hits"]
    for hit in out["hits"]:
        flat = " ".join(hit["snippet"].lower().split())
        assert "escape velocity" in flat or "scape velocity" in flat, hit["snippet"]


def _age(root: Path, seconds: float = 60.0) -> None:
    then = time.time() - seconds
    for p in [root, *root.rglob("*")]:
        os.utime(p, (then, then), follow_symlinks=False)


def test_library_load_reads_a_folder_again_only_when_it_changed(lib_copy, monkeypatch):
    import reader.library as library_mod

    _age(lib_copy)
    first = Library.load(lib_copy)
    reads: list[Path] = []
    real = library_mod.load_episode
    monkeypatch.setattr(
        library_mod, "load_episode", lambda f, **k: reads.append(Path(f)) or real(f, **k)
    )
    again = Library.load(lib_copy)
    assert not reads
    assert [
        (e.id, e.title, e.transcript_path, e.summary_paths, e.problems) for e in again.episodes
    ] == [(e.id, e.title, e.transcript_path, e.summary_paths, e.problems) for e in first.episodes]
    ep = first.episodes[0]
    toml = ep.folder / "episode.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(ep.title, "A new title"), encoding="utf-8"
    )
    _age(ep.folder)
    third = Library.load(lib_copy)
    assert reads == [ep.folder]
    assert third.get(ep.id).title == "A new title"
    reads.clear()
    toml.write_text("not toml [", encoding="utf-8")  # broken now (and fresh): reported
    fourth = Library.load(lib_copy)
    assert fourth.get(ep.id) is None and any("episode.toml" in p for p in fourth.problems)


def test_a_bulk_update_from_the_app_runs_in_another_process(lib_copy, monkeypatch):
    """The app's index keeper builds through update_in_worker: this process opens no
    writer (no posting pool here), searches see the result, and starting the process
    works with stdout/stderr replaced by objects without a file descriptor (Textual)."""
    import io
    import sys

    from reader.search import indexer as indexer_mod

    monkeypatch.setattr(batching_mod, "BULK_EPISODES", 1)

    def no_writer(self, ix):
        raise AssertionError("this process opened a writer")

    monkeypatch.setattr(indexer_mod.LibraryIndex, "_writer", no_writer)

    class NoFd(io.StringIO):
        def fileno(self) -> int:
            return -1

    monkeypatch.setattr(sys, "stdout", NoFd())
    monkeypatch.setattr(sys, "stderr", NoFd())
    lib = Library.load(lib_copy)
    ix = LibraryIndex(lib)
    seen: list[int] = []
    report = ix.update_in_worker(lambda done, total, name: seen.append(done))
    assert report.added == len(lib.episodes) and seen
    assert ix.search('"escape velocity"').total >= 2
    assert not ix.times.pending()
    ix.close()


def _segment_parts(index_dir: Path) -> dict[str, bytes]:
    """Every sub-file of every compound segment (the .seg files' own layout aside)."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    out = {}
    store = FileStorage(str(index_dir))
    for p in sorted(index_dir.glob("*.seg")):
        parts = CompoundStorage(store.open_file(p.name), use_mmap=False)
        for name in parts.list():
            out[name] = parts.open_file(name).read()
    return out


def test_repeated_title_analysis_writes_the_same_segment(tmp_path, monkeypatch):
    """Titles and sections analysed once per value (schema.RepeatedText) give the
    segment Whoosh's TEXT gives: every posting, length and stored field the same."""
    import itertools

    from whoosh import fields
    from whoosh.codec import base

    from reader.search import schema as schema_mod

    built = []
    repeated = schema_mod.RepeatedText
    for plain in (True, False):
        ids = itertools.count()
        monkeypatch.setattr(
            base.Segment,
            "_random_id",
            classmethod(lambda cls, size=16, ids=ids: f"s{next(ids):015d}"),
        )
        monkeypatch.setattr(
            schema_mod, "RepeatedText", fields.TEXT if plain else repeated
        )
        monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / f"cache{plain}"))
        ix = LibraryIndex(Library.load(BUNDLED))
        ix.update()
        schema = ix._index().schema
        kinds = {type(f).__name__ for n, f in schema.items() if n in ("title", "section")}
        assert kinds == ({"TEXT"} if plain else {"RepeatedText"})
        built.append(_segment_parts(ix.index_dir))
        ix.close()
    assert built[0] and built[0] == built[1]
