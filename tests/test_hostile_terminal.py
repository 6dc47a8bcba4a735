"""The real app in a real pseudo-terminal: the exact bytes it writes carry no clipboard
write (OSC 52) or other escape from a file name, and ``q`` quits at once even while a
big transcript is still being parsed and indexed."""

from __future__ import annotations

import fcntl
import os
import pty
import random
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

import hostile

pytestmark = pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")


class Terminal:
    """``python -m reader LIBRARY`` on a 120x40 pty; ``output`` is every byte it wrote."""

    def __init__(self, library) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reader", str(library)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float) -> bool:
        """Read (the app blocks if nobody drains the pty) until ``needle`` shows up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output:
                return True
            self.drain(0.2)
        return needle in self.output

    def drain(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            try:
                self.output += os.read(self.master, 65536)
            except OSError:  # the app is gone
                pass

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_exit(self, timeout: float) -> float:
        started = time.monotonic()
        while self.proc.poll() is None and time.monotonic() - started < timeout:
            self.drain(0.1)
        return time.monotonic() - started

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def test_no_clipboard_write_reaches_the_terminal(tmp_path, isolated_dirs):
    hostile.write_episode(
        tmp_path,
        f"ep{hostile.OSC52}",
        hostile.meta(
            f"Title{hostile.OSC52}", summaries=[f"s{hostile.OSC52}.md", f"gone{hostile.OSC52}.md"]
        ),
        {"t.txt": hostile.GOOD_TRANSCRIPT, f"s{hostile.OSC52}.md": hostile.GOOD_SUMMARY},
    )
    hostile.write_episode(
        tmp_path, f"broken{hostile.OSC52}", hostile.meta("x", transcript="nope.txt")
    )
    term = Terminal(tmp_path)
    try:
        assert term.read_until(b"Summary 1/1", 60), term.output[-2000:]
        term.read_until(b"summary file listed", 10)  # the notification too
        term.press(b"q")
        term.wait_exit(30)
        assert term.proc.returncode == 0
    finally:
        term.close()
    assert b"UFdORUQ" in term.output  # the names are shown ...
    assert b"\x1b]52" not in term.output  # ... never as a clipboard write
    assert b"\x1b\\.md" not in term.output and b"\x1b]" + b"52;c;UFdORUQ=" not in term.output


def test_q_quits_at_once_while_a_big_transcript_loads(tmp_path, isolated_dirs):
    folder = hostile.write_episode(tmp_path, "big", hostile.meta("Big"))
    rng = random.Random(15)
    words = "the quick brown fox jumps over lazy dog and then talks about models".split()
    with open(
        folder / "t.txt", "w", encoding="utf-8"
    ) as fh:  # 13 MB: half a minute of parsing and indexing
        fh.write("\n".join(" ".join(rng.choices(words, k=12)) for _ in range(200_000)))
    term = Terminal(tmp_path)
    try:
        assert term.read_until(b"Transcript", 60)  # the panes are up, the workers busy
        term.drain(2.0)
        term.press(b"q")
        took = term.wait_exit(60)
        assert term.proc.returncode == 0
    finally:
        term.close()
    assert took < 15  # was over a minute: the process waited for the worker threads to end
