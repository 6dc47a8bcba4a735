import time

import pytest

from reader import clipboard
from reader.clipboard import copy_text


class FakeBackend:
    def __init__(self, copy_error=None, paste_value=None, hang=0.0):
        self.copied = None
        self.copy_error = copy_error
        self.paste_value = paste_value
        self.hang = hang

    def copy(self, text):
        if self.hang:
            time.sleep(self.hang)
        if self.copy_error:
            raise self.copy_error
        self.copied = text

    def paste(self):
        return self.copied if self.paste_value is None else self.paste_value


class PyperclipException(RuntimeError):
    pass


@pytest.fixture
def fake(monkeypatch):
    def install(**kw):
        b = FakeBackend(**kw)
        monkeypatch.setattr(clipboard, "backend", b)
        return b

    return install


def test_system_clipboard_works(fake):
    fake()
    sent = []
    result = copy_text("hello", sent.append, env={})
    assert sent == ["hello"]
    assert result.system_ok and result.osc52_sent
    assert result.message() == "Copied to the system clipboard and sent to the terminal (OSC 52)"


def test_no_copy_mechanism_falls_back_to_osc52(fake):
    fake(copy_error=PyperclipException("Pyperclip could not find a copy/paste mechanism"))
    result = copy_text("hello", lambda t: None, env={})
    assert result.osc52_sent and not result.system_ok
    assert "xclip" in result.message()
    assert result.message().startswith("Sent to the terminal clipboard (OSC 52)")
    assert "tmux" not in result.message()


def test_silent_failure_detected_by_read_back(fake):
    fake(paste_value="something else")
    result = copy_text("hello", lambda t: None, env={})
    assert not result.system_ok
    assert result.system_error


@pytest.mark.parametrize("setting", ["external", "off", None])
def test_tmux_hint_when_system_copy_failed(fake, monkeypatch, setting):
    fake(copy_error=PyperclipException("nope"))
    monkeypatch.setattr(clipboard, "tmux_set_clipboard", lambda: setting)
    result = copy_text("hello", lambda t: None, env={"TMUX": "/tmp/tmux-0/default,1,0"})
    assert result.in_tmux
    assert "set -g set-clipboard on" in result.message()


def test_no_tmux_hint_when_tmux_already_keeps_the_clipboard(fake, monkeypatch):
    fake(copy_error=PyperclipException("nope"))
    monkeypatch.setattr(clipboard, "tmux_set_clipboard", lambda: "on")
    result = copy_text("hello", lambda t: None, env={"TMUX": "/tmp/tmux-0/default,1,0"})
    assert result.osc52_sent
    assert "set-clipboard" not in result.message()
    assert "OSC 52" in result.message()


def test_hanging_helper_times_out(fake):
    fake(hang=0.5)
    t = time.perf_counter()
    result = copy_text("hello", None, timeout=0.05, env={})
    assert time.perf_counter() - t < 0.4
    assert not result.system_ok and not result.osc52_sent
    assert result.message().startswith("Could not copy")


def test_osc52_error_is_not_fatal(fake):
    fake()

    def broken(text):
        raise OSError("closed")

    result = copy_text("hello", broken, env={})
    assert not result.osc52_sent and result.system_ok
    assert result.message() == "Copied to the system clipboard"
