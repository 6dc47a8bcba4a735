"""Per-episode facts cached by file stats (reader.facts): `reader list` and the picker
parse an episode only when one of its files changed, and a damaged cache is ignored."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from reader import facts as facts_mod
from reader.facts import FactsCache, facts_file
from reader.library import Library

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "library"


@pytest.fixture
def lib(tmp_path, monkeypatch):
    if not (BUNDLED / ".reader-library").exists():
        pytest.skip("bundled library not present")
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    dst = tmp_path / "lib"
    shutil.copytree(BUNDLED, dst)
    old = time.time() - 60  # files settled (an mtime within 2 s is never trusted)
    for p in dst.rglob("*"):
        os.utime(p, (old, old))
    return dst


def listing(lib: Path) -> tuple[list[dict], int]:
    library = Library.load(lib)
    cache = FactsCache(library)
    rows = [cache.get(ep) for ep in library.episodes]
    cache.save()
    return rows, cache.computed


def test_second_listing_parses_nothing_and_says_the_same(lib):
    first, parsed = listing(lib)
    assert parsed == 2
    second, parsed = listing(lib)
    assert parsed == 0 and second == first
    assert all(r["transcript"]["lines"] > 0 for r in first) and any(r["summaries"] for r in first)


def test_a_changed_file_is_parsed_again(lib):
    before, _ = listing(lib)
    ep = Library.load(lib).get("redpoint-douglas-claude-4")
    summary = ep.summary_paths[0]
    text = summary.read_text(encoding="utf-8")
    summary.write_text(text + "\n- One more claim about rockets [00:00:10]\n", encoding="utf-8")
    old = time.time() - 30
    os.utime(summary, (old, old))
    after, parsed = listing(lib)
    assert parsed == 1
    i = [r["title"] for r in before].index(ep.title)
    assert after[i]["summaries"][0]["claims"] == before[i]["summaries"][0]["claims"] + 1


@pytest.mark.parametrize(
    "junk", ["[" * 100000, "{", '{"version": 2, "episodes": {"x": 1}}', "null"]
)
def test_a_damaged_cache_is_ignored(lib, junk):
    good, _ = listing(lib)
    facts_file(lib).write_text(junk, encoding="utf-8")
    again, parsed = listing(lib)
    assert again == good and parsed == 2
    assert json.loads(facts_file(lib).read_text(encoding="utf-8"))["version"] == facts_mod.VERSION


def test_an_entry_of_the_wrong_shape_is_recomputed(lib):
    listing(lib)
    data = json.loads(facts_file(lib).read_text(encoding="utf-8"))
    for entry in data["episodes"].values():
        entry["facts"]["summaries"] = "lots"
    facts_file(lib).write_text(json.dumps(data), encoding="utf-8")
    rows, parsed = listing(lib)
    assert parsed == 2 and all(isinstance(r["summaries"], list) for r in rows)


def test_reader_list_uses_the_cache(lib, capsys):
    from reader.cli import main

    assert main(["list", "--json", "--library", str(lib)]) == 0
    first = capsys.readouterr().out
    calls = []
    real = facts_mod.compute
    facts_mod.compute = lambda ep: calls.append(ep.id) or real(ep)
    try:
        assert main(["list", "--json", "--library", str(lib)]) == 0
    finally:
        facts_mod.compute = real
    assert capsys.readouterr().out == first and calls == []
