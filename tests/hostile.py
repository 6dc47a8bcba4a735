"""A hostile library, built in a temporary folder: what an attacker (or a broken disk)
puts in front of reader. Used by the tests/test_hostile_*.py files.

Next to the library sits ``outside/``: a secret file and a complete episode that links
and paths point at. Nothing of it may ever be read, shown or indexed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

# A clipboard write (OSC 52, "PWNED" in base64) and a screen clear.
OSC52 = "\x1b]52;c;UFdORUQ=\x1b\\"
CLEAR = "\x1b[2J"
RLO = "\u202e"  # right-to-left override: "evil\u202etxt.md" shows as "evildm.txt"
ZWSP = "\u200b"
SECRET = "SECRET-d41d8cd9"  # in outside/secret.txt only

GOOD_TRANSCRIPT = "\n".join(f"Line {i} says something about topic {i}." for i in range(40)) + "\n"
GOOD_SUMMARY = "## Part\nTopic 5 comes first [00:00:10].\nTopic 30 comes later [00:05:00].\n"


def write_episode(
    root: Path, name: str, meta: str, files: dict[str, str | bytes] | None = None
) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for file_name, data in (files or {}).items():
        path = folder / file_name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    (folder / "episode.toml").write_text(meta, encoding="utf-8")
    return folder


def meta(
    title: str, transcript: str = "t.txt", summaries: list[str] | None = None, extra: str = ""
) -> str:
    return (
        f"title = {json.dumps(title)}\ntranscript = {json.dumps(transcript)}\n"
        f"summaries = {json.dumps(summaries or [])}\n{extra}"
    )


def build(base: Path) -> Path:
    """Make ``base/library`` (hostile) and ``base/outside``; returns the library."""
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{SECRET} root:x:0:0\n" * 5, encoding="utf-8")
    write_episode(
        outside, "elsewhere", meta("Elsewhere"), {"t.txt": f"{SECRET} in an episode outside\n"}
    )
    root = base / "library"
    root.mkdir()

    # good ones: they must keep working whatever their neighbours are
    write_episode(
        root,
        "good",
        meta("Good episode", summaries=["s.md"]),
        {"t.txt": GOOD_TRANSCRIPT, "s.md": GOOD_SUMMARY},
    )
    write_episode(
        root,
        f"osc{OSC52}name{RLO}gpj.exe{ZWSP}",
        meta(
            f"Title {OSC52}{CLEAR} with {RLO}override",
            summaries=[f"s{OSC52}.md", f"evil{RLO}txt.md"],
        ),
        {"t.txt": GOOD_TRANSCRIPT, f"s{OSC52}.md": GOOD_SUMMARY, f"evil{RLO}txt.md": GOOD_SUMMARY},
    )
    write_episode(
        root,
        "markup",
        meta("[@click=app.quit]quit[/] [/] [bold]x", extra='show = "[/]"\n'),
        {"t.txt": GOOD_TRANSCRIPT},
    )
    write_episode(root, "markup-2", meta("[/]"), {"t.txt": GOOD_TRANSCRIPT})

    # reading outside the episode
    write_episode(root, "abs-path", meta("Absolute", transcript=str(outside / "secret.txt")))
    write_episode(root, "dotdot", meta("Dotdot", transcript="../../outside/secret.txt"))
    folder = write_episode(root, "symlink", meta("Symlink", summaries=["s.md"]))
    os.symlink(outside / "secret.txt", folder / "t.txt")
    os.symlink("/etc/shadow", folder / "s.md")
    folder = write_episode(
        root,
        "summary-next-door",
        meta("Next door", summaries=["../good/s.md"]),
        {"t.txt": GOOD_TRANSCRIPT},
    )
    os.symlink(outside / "elsewhere", root / "linked-folder")
    folder = write_episode(root, "meta-link", "", {"t.txt": GOOD_TRANSCRIPT})
    (folder / "episode.toml").unlink()
    os.symlink(outside / "elsewhere" / "episode.toml", folder / "episode.toml")

    # not regular files
    folder = write_episode(root, "dev-zero", meta("Zero"))
    os.symlink("/dev/zero", folder / "t.txt")
    folder = write_episode(root, "fifo", meta("Fifo", summaries=["s.fifo"]), {})
    os.mkfifo(folder / "t.txt")
    os.mkfifo(folder / "s.fifo")
    folder = write_episode(root, "fifo-meta", "", {"t.txt": GOOD_TRANSCRIPT})
    (folder / "episode.toml").unlink()
    os.mkfifo(folder / "episode.toml")
    write_episode(root, "folder-transcript", meta("Folder", transcript="sub"))
    (root / "folder-transcript" / "sub").mkdir()

    # past the limits (the big file is sparse: no disk used)
    folder = write_episode(root, "huge", meta("Huge"))
    with open(folder / "t.txt", "wb") as fh:
        fh.truncate(500 * 1024 * 1024)
    write_episode(root, "long-line", meta("Long line"), {"t.txt": "word " * 300_000})

    # bad metadata values
    write_episode(
        root, "dur-inf", meta("Infinite", extra="duration = inf\n"), {"t.txt": GOOD_TRANSCRIPT}
    )
    write_episode(
        root, "dur-nan", meta("NaN", extra="duration = nan\n"), {"t.txt": GOOD_TRANSCRIPT}
    )
    write_episode(
        root, "dur-neg", meta("Negative", extra="duration = -100\n"), {"t.txt": GOOD_TRANSCRIPT}
    )
    write_episode(
        root,
        "dur-huge",
        meta("Huge duration", extra="duration = 1e308\n"),
        {"t.txt": GOOD_TRANSCRIPT},
    )
    write_episode(
        root,
        "wrong-types",
        'title = [1, 2]\nshow = {a = 1}\nduration = "long"\n'
        'video_id = "x y\\u001b"\ntranscript = "t.txt"\n',
        {"t.txt": GOOD_TRANSCRIPT},
    )
    write_episode(root, "transcript-type", 'title = "T"\ntranscript = 5\n')
    bomb = write_episode(root, "toml-bomb", "")
    (bomb / "episode.toml").write_text("x = " + "[" * 100_000, encoding="utf-8")
    table_bomb = write_episode(root, "toml-table-bomb", "")
    (table_bomb / "episode.toml").write_text("x = " + "{a = " * 50_000, encoding="utf-8")
    write_episode(root, "binary-meta", "", {"t.txt": GOOD_TRANSCRIPT})
    (root / "binary-meta" / "episode.toml").write_bytes(b"\x00\xff" * 100)
    return root


# names of the episodes that must load, and of those refused as a whole
LOADS = {
    "good",
    "markup",
    "markup-2",
    "summary-next-door",
    "dur-inf",
    "dur-nan",
    "dur-neg",
    "dur-huge",
    "wrong-types",
    "huge",
    "long-line",
}
REFUSED = {
    "abs-path",
    "dotdot",
    "symlink",
    "fifo",
    "linked-folder",
    "meta-link",
    "dev-zero",
    "fifo-meta",
    "folder-transcript",
    "transcript-type",
    "toml-bomb",
    "toml-table-bomb",
    "binary-meta",
}

_CSI = re.compile(r"\x1b\[[0-9;:?<=>]*[ -/]*[@-~]")


def terminal_unsafe(text: str) -> list[str]:
    """What in ``text`` a terminal would act on: any ESC (after the output's own CSI
    styling is taken out, when ``allow_csi``), BEL, C1 controls, bidi controls."""
    found = []
    for ch in ("\x1b", "\x07", "\x9b", "\x9d", "\x90", RLO, "\u202d", "\u2066", "\u2067", "\u2068"):
        if ch in text:
            found.append(repr(ch))
    return found


def styled_terminal_unsafe(sequence: str) -> list[str]:
    """``terminal_unsafe`` for real terminal output: the CSI sequences of its own
    styling and cursor moves are allowed, nothing else."""
    return terminal_unsafe(_CSI.sub("", sequence))
