"""reader.atomic.write_atomic: the one writer for files a crash must not leave half-written."""

from __future__ import annotations

import os

import pytest

from reader.atomic import write_atomic


def test_write_atomic_never_overwrites_without_permission(tmp_path):
    path = tmp_path / "out.md"
    write_atomic(path, "one")
    with pytest.raises(FileExistsError):
        write_atomic(path, "two", overwrite=False)
    assert path.read_text() == "one"
    write_atomic(path, "three")
    assert path.read_text() == "three"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary files left


def test_a_write_that_fails_at_the_last_step_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "highlights.json"
    write_atomic(path, "old, whole\n")

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, "new")
    assert path.read_text() == "old, whole\n"
    assert [p.name for p in tmp_path.iterdir()] == ["highlights.json"]


def test_ctrl_c_mid_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "note.md"

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "text")
    assert list(tmp_path.iterdir()) == []


def test_text_is_written_as_given_in_utf8_and_its_folders_are_made(tmp_path):
    path = tmp_path / "a" / "b" / "note.md"
    write_atomic(path, "café\r\nnext\n")
    assert path.read_bytes() == "café\r\nnext\n".encode()
