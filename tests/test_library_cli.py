"""The library and the `reader list` / `reader add` commands, as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from libtree import tree_digest
from material import seed
from reader.cli import main
from reader.library import Library


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_shows_both_bundled_episodes_with_durations_and_claim_counts(capsys):
    code, out, err = run(capsys, "list", "--json")
    assert code == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    interview = rows["redpoint-douglas-claude-4"]
    assert interview["title"] == "Anthropic's Douglas on Claude 4"
    assert 54 * 60 <= interview["duration_s"] <= 60 * 60
    assert interview["transcript"]["timed"] is False
    assert interview["transcript"]["lines"] > 1700
    assert [s["claims"] for s in interview["summaries"]] == [79, 51, 53]
    article = rows["interconnects-claude-4-bet-on-code"]
    assert 14 * 60 <= article["duration_s"] <= 16 * 60
    assert article["summaries"] == []
    assert article["transcript"]["lines"] > 50  # the long paragraph becomes sentences


def test_list_human_output_names_titles_and_claims(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0
    assert "Anthropic's Douglas on Claude 4" in out
    assert "claims 79/51/53" in out
    assert "Claude 4 and Anthropic's bet on code" in out
    # one length everywhere: the metadata's, else the engine's estimate marked ~
    assert "15:13 ·" in out and re.search(r"  ~5\d:\d\d · ", out)
    # the parsers' notes were said when the episodes were added, not on every run
    assert "repeated copy" not in err


def test_library_option_and_env_variable_choose_the_library(capsys, tmp_path, monkeypatch):
    empty = tmp_path / "lib"
    empty.mkdir()
    code, out, _ = run(capsys, "list", "--library", str(empty))
    assert code == 0 and "No episodes" in out
    monkeypatch.setenv("READER_LIBRARY", str(empty))
    code, out, _ = run(capsys, "list", "--json")
    assert json.loads(out) == []


def test_missing_library_is_one_line_error(capsys, tmp_path):
    code, out, err = run(capsys, "list", "--library", str(tmp_path / "nope"))
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "nope" in err and "does not exist" in err
    assert "Traceback" not in err


def test_unknown_option_shows_the_subcommands_own_usage(capsys):
    for argv, usage in (
        (("list", "--bogus"), "usage: reader list"),
        (("search", "--bogus", "model"), "usage: reader search"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(list(argv))
        err = capsys.readouterr().err
        assert exit_.value.code == 2
        assert err.startswith(usage), err
        assert f"reader {argv[0]}: error: unrecognized arguments: --bogus" in err


def _episode(root: Path, name: str, transcript_name: str, data: bytes, summaries=()) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / transcript_name).write_bytes(data)
    names = []
    for s in summaries:
        shutil.copy(s, folder / s.name)
        names.append(s.name)
    listed = ", ".join(f'"{n}"' for n in names)
    (folder / "episode.toml").write_text(
        f'title = "{name}"\ntranscript = "{transcript_name}"\nsummaries = [{listed}]\n'
    )
    return folder


def test_broken_episodes_are_named_and_never_hide_the_good_ones(capsys, tmp_path):
    lib = tmp_path / "lib"
    _episode(lib, "good", "t.txt", seed("003").read_bytes(), [seed("001")])
    _episode(lib, "empty", "t.txt", b"")
    _episode(lib, "binary", "t.bin", bytes(range(256)) * 8)
    _episode(lib, "latin1", "t.txt", "Le café est prêt.\nOui, très bien.\n".encode("latin-1"))
    _episode(lib, "badvtt", "t.vtt", b"WEBVTT\n\n00:00:01.000 --> garbage\nhello\n")
    bad_toml = lib / "badtoml"
    bad_toml.mkdir()
    (bad_toml / "episode.toml").write_text('title = "unterminated\n')
    before = tree_digest(lib)

    code, out, err = run(capsys, "list", "--json", "--library", str(lib))
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["good"]["summaries"][0]["claims"] == 51
    assert rows["latin1"]["transcript"]["lines"] == 2
    for name in ("empty", "binary", "badvtt"):
        assert "error" in rows[name]["transcript"], name
    # every bad file is named on stderr, one line each, no traceback
    assert str(lib / "empty" / "t.txt") in err
    assert str(lib / "binary" / "t.bin") in err
    assert str(lib / "badvtt" / "t.vtt") in err
    assert str(lib / "badtoml" / "episode.toml") in err
    assert "latin1" in err and "UTF-8" in err  # decoded with a fallback, and said so
    assert "Traceback" not in err
    # the library is only ever read
    assert tree_digest(lib) == before


def test_add_copies_files_and_writes_metadata(capsys, tmp_path):
    lib = tmp_path / "lib"
    src = tmp_path / "src"
    src.mkdir()
    transcript = shutil.copy(seed("003"), src / "interview.txt")
    summary = shutil.copy(seed("000"), src / "summary.md")
    before = tree_digest(src)
    code, out, err = run(
        capsys,
        "add",
        str(transcript),
        "--summary",
        str(summary),
        "--library",
        str(lib),
        "--url",
        "https://www.youtube.com/watch?v=W1aGV4K3A8Y",
        "--duration",
        "3420",
    )
    assert code == 0, err
    assert "Added" in out
    assert tree_digest(src) == before  # originals untouched, still there
    library = Library.load(lib)
    (episode,) = library.episodes
    assert episode.title == "Impact and future of Anthropics Claude 4 models"  # from front matter
    assert episode.meta.duration_s == 3420
    assert (episode.folder / "summary.md").read_bytes() == Path(summary).read_bytes()
    assert len(episode.summaries[0].claims) == 79
    assert episode.link_at(754) == "https://youtu.be/W1aGV4K3A8Y?t=754"


def test_add_refuses_bad_input_with_exit_2_and_writes_nothing(capsys, tmp_path):
    lib = tmp_path / "lib"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "add", str(empty), "--library", str(lib))
    assert code == 2
    assert str(empty) in err and err.count("\n") == 1
    code, _, err = run(capsys, "add", str(tmp_path / "missing.txt"), "--library", str(lib))
    assert code == 2 and "missing.txt" in err
    assert tree_digest(lib) == {}  # nothing written, not even the library folder


def test_metadata_text_is_data_not_terminal_control(capsys, tmp_path):
    lib = tmp_path / "lib"
    folder = _episode(lib, "ep", "t.txt", b"Hello there.\nGeneral Kenobi.\n")
    (folder / "episode.toml").write_text(
        'title = "Evil \\u001b[2J\\u001b]52;c;UFdORUQ=\\u0007 [bold]title[/]"\n'
        'transcript = "t.txt"\n'
    )
    code, out, err = run(capsys, "list", "--library", str(lib))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil  [bold]title[/]" in out  # escape sequences gone whole; markup shown literally
