"""No escape sequence, control or bidi character reaches the terminal from the commands:
names, paths, ids, warnings, errors and query echoes all pass the one sanitizer
(reader.text.display_line / display_name). Real subprocesses, real bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import hostile
from reader.text import display_line, display_name, json_for_terminal, mask_controls


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "100"},
    )


def text_of(proc: subprocess.CompletedProcess) -> tuple[str, str]:
    return proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return hostile.build(tmp_path_factory.mktemp("hostile"))


def assert_clean(*outputs: str) -> None:
    for out in outputs:
        assert hostile.terminal_unsafe(out) == [], out
        assert hostile.SECRET not in out.replace('"SECRET-d41d8cd9"', "")  # (a query's own echo)
        assert "Traceback" not in out


def test_list_shows_every_name_safely(corpus):
    proc = run("list", "--library", str(corpus))
    out, err = text_of(proc)
    assert proc.returncode == 0
    assert_clean(out, err)
    # the hostile id is recognisable, its escapes and invisibles made visible
    assert "osc<ESC>]52;c;UFdORUQ=<ESC>\\name<U+202E>gpj.exe<U+200B>" in out
    assert "[@click=app.quit]quit[/]" in out  # markup is text
    for name in hostile.REFUSED:
        assert f"/{name}" in err
    assert "-2 min" not in out  # duration = -100 is ignored, not shown


def test_list_json_keeps_the_data_and_escapes_it(corpus):
    proc = run("list", "--json", "--library", str(corpus))
    out, err = text_of(proc)
    assert proc.returncode == 0
    assert_clean(out, err)
    rows = json.loads(out)
    ids = {row["id"] for row in rows}
    assert f"osc{hostile.OSC52}name{hostile.RLO}gpj.exe{hostile.ZWSP}" in ids  # exact, for scripts


def test_search_warnings_and_echo_are_safe(corpus):
    for query in ("root", hostile.SECRET, "topic", f"x{hostile.OSC52}y", "\u202eabc"):
        proc = run("search", query, "--library", str(corpus))
        out, err = text_of(proc)
        assert proc.returncode in (0, 2)
        assert_clean(out, err)
        assert "root:x" not in out
    proc = run("search", "topic", "--json", "--library", str(corpus))
    out, err = text_of(proc)
    assert_clean(out, err)
    assert json.loads(out)["hits"]


def test_missing_summary_with_an_escape_in_its_name(tmp_path):
    name = f"s{hostile.OSC52}.md"
    hostile.write_episode(
        tmp_path, "ep", hostile.meta("T", summaries=[name]), {"t.txt": hostile.GOOD_TRANSCRIPT}
    )
    for args in (("list",), ("search", "topic"), ("index",)):
        proc = run(*args, "--library", str(tmp_path))
        out, err = text_of(proc)
        assert_clean(out, err)
        assert "s<ESC>]52;c;UFdORUQ=<ESC>\\.md" in err


def test_align_reads_only_regular_files(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo), str(tmp_path)):
        proc = run("align", "--transcript", path, timeout=60)
        out, err = text_of(proc)
        assert proc.returncode == 2
        assert err.count("\n") == 1 and err.startswith("reader: error: ")
        assert_clean(out, err)


def test_align_with_a_hostile_file_name(tmp_path):
    path = tmp_path / f"t{hostile.OSC52}{hostile.CLEAR}.txt"
    path.write_text(hostile.GOOD_TRANSCRIPT, encoding="utf-8")
    summary = tmp_path / f"s{hostile.OSC52}.md"
    summary.write_text("No times here at all.\n", encoding="utf-8")
    for extra in ((), ("--json",)):
        proc = run("align", "--transcript", str(path), "--summary", str(summary), *extra)
        out, err = text_of(proc)
        assert proc.returncode == 0, err
        assert_clean(out, err)
    proc = run("align", "--transcript", str(tmp_path / f"missing{hostile.OSC52}"))
    out, err = text_of(proc)
    assert proc.returncode == 2
    assert_clean(out, err)


def test_opening_a_missing_library_with_an_escape_in_its_name(tmp_path):
    proc = run(str(tmp_path / f"lib{hostile.OSC52}"))
    out, err = text_of(proc)
    assert proc.returncode == 2
    assert_clean(out, err)


def test_the_sanitizer():
    assert display_name(f"s{hostile.OSC52}.md") == "s<ESC>]52;c;UFdORUQ=<ESC>\\.md"
    assert display_name("evil\u202etxt.md") == "evil<U+202E>txt.md"
    assert display_name("a\u200bb\tc\x9bd") == "a<U+200B>b<TAB>c<U+009B>d"
    # ZWJ kept (emoji)
    assert display_line(f"t{hostile.OSC52}i\u202etle\n2\u200d") == "title 2\u200d"
    assert display_line("x" * 50, 10) == "x" * 9 + "…"
    masked = mask_controls("a\x1bb\u202ec\nd")
    assert masked == "a b c d" and len(masked) == len("a\x1bb\u202ec\nd")
    data = {"k": "\x9b\u202e\x1b"}
    text = json_for_terminal(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data and hostile.terminal_unsafe(text) == []
