"""reader export: one Markdown note per episode, written atomically, never overwriting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.export import render
from reader.library import Library
from reader.notes import Highlight, HighlightStore
from test_app import write_episode

SUMMARY = """## Part one
Topic number 5 is introduced here [00:00:10].
A [link](http://x) and <b>html</b> stay text [00:05:00].
"""


def small_library(tmp_path: Path, **meta) -> Path:
    root = tmp_path / "lib"
    text = (
        "\n".join(f"Line {i} talks about topic number {i} in some detail." for i in range(60))
        + "\n"
    )
    write_episode(root, "ep", text, {"s.md": SUMMARY}, title="A *bold* title", duration=600, **meta)
    toml = root / "ep" / "episode.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + 'show = "The Show"\ndate = "2025-05-27"\nvideo_id = "W1aGV4K3A8Y"\n',
        encoding="utf-8",
    )
    return root


def test_export_layout_front_matter_summary_and_highlights(tmp_path, capsys):
    root = small_library(tmp_path)
    store = HighlightStore.load("ep")
    store.add(
        Highlight(
            "Line 30 talks about topic number 30 in some detail.", 301.0, True, note="the core idea"
        )
    )
    out = tmp_path / "note.md"
    assert main(["export", "ep", "--library", str(root), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Wrote {out}"
    text = out.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    assert head.splitlines() == [
        "---",
        'title: "A *bold* title"',
        'show: "The Show"',
        'date: "2025-05-27"',
        'source: "https://youtu.be/W1aGV4K3A8Y"',
        'duration: "00:10:00"',
        'episode: "ep"',
        "tags: [podcast]",
    ]
    assert "# A \\*bold\\* title" in body
    assert "## Highlights" in body and "## Summary (AI, s.md)" in body
    assert body.index("## Highlights") < body.index("## Summary (AI")
    # the highlight is found in the transcript again: its time is its words' time
    assert "> “Line 30 talks about topic number 30 in some detail.”" in body
    assert "the core idea" in body
    assert (
        "- Topic number 5 is introduced here. [00:00:10](https://youtu.be/W1aGV4K3A8Y?t=10)" in body
    )
    assert "- A link and html stay text. [00:05:00](https://youtu.be/W1aGV4K3A8Y?t=300)" in body


def test_file_text_is_text_in_the_export(tmp_path):
    root = small_library(tmp_path)
    episode = Library.load(root).get("ep")
    text = render(
        episode,
        [Highlight("[click](javascript:x) <script>\x1b[31m # _u_", 1.0, note="> not a quote")],
    )
    assert (
        "> “\\[click\\](javascript:x) \\<script\\> # \\_u\\_”" in text
    )  # the escape sequence goes whole
    assert "\x1b" not in text
    assert "\n\\> not a quote\n" in text


def test_export_never_overwrites_without_force(tmp_path, capsys):
    root = small_library(tmp_path)
    out = tmp_path / "note.md"
    out.write_text("my own edits", encoding="utf-8")
    assert main(["export", "ep", "--library", str(root), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists (use --force" in err and str(out) in err
    assert out.read_text(encoding="utf-8") == "my own edits"
    assert main(["export", "ep", "--library", str(root), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("---\ntitle:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib", "note.md"]  # no temporary files


def test_export_to_stdout_and_default_name(tmp_path, capsys, monkeypatch):
    root = small_library(tmp_path)
    assert main(["export", "ep", "--library", str(root), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("---\ntitle:")
    monkeypatch.chdir(tmp_path)
    assert main(["export", "ep", "--library", str(root)]) == 0
    assert (tmp_path / "ep.md").exists()


def test_unknown_episode_is_one_line_exit_2(tmp_path, capsys):
    root = small_library(tmp_path)
    assert main(["export", "nope", "--library", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "(episodes: ep;" in err
    # the CLI's one error shape: reader: error: FILE: message
    assert err.startswith(f"reader: error: {root}: no episode 'nope'")


def test_unwritable_destination_is_one_line(tmp_path, capsys):
    root = small_library(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "ep", "--library", str(root), "-o", str(blocker / "note.md")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write the export" in err


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_folder_as_destination_says_so(tmp_path, capsys, force):
    root = small_library(tmp_path)
    folder = tmp_path / "notes"
    folder.mkdir()
    assert main(["export", "ep", "--library", str(root), "-o", str(folder), *force]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"reader: error: {folder}: is a folder (give the note a file name, e.g. {folder}/note.md)\n"
    )
    assert list(folder.iterdir()) == []


def test_estimated_highlight_times_carry_tilde(tmp_path):
    root = small_library(tmp_path)
    episode = Library.load(root).get("ep")
    text = render(episode, [Highlight("gone words", 75.0, True, note="n")])
    assert "> — [~00:01:15](https://youtu.be/W1aGV4K3A8Y?t=75)" in text
    json.loads(text.split("\n")[1].split(": ", 1)[1])  # front matter strings are JSON/YAML strings


def test_an_episode_without_a_duration_exports_the_length_reader_lists(capsys):
    # the untimed sample interview: its length is the engine's estimate, as `reader list`
    # shows it (~57:14), marked estimated in the note too
    assert main(["export", "redpoint-douglas-claude-4", "-o", "-"]) == 0
    note = capsys.readouterr().out
    (line,) = [x for x in note.splitlines() if x.startswith("duration: ")]
    assert main(["list"]) == 0
    listed = capsys.readouterr().out.split("redpoint-douglas-claude-4\n", 1)[1].splitlines()[1]
    length = listed.split(" · ")[0].strip()  # "~57:14"
    assert length.startswith("~") and line == f'duration: "~00:{length[1:]}"'
