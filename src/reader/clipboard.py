"""Copying text: OSC 52 through the terminal, and the system clipboard via pyperclip.

No Textual here: the app passes its ``copy_to_clipboard`` as the ``osc52`` callable.
pyperclip raises where there is no xclip/xsel/wl-copy and "succeeds" silently where
$DISPLAY points at nothing, so the system copy only counts if reading it back agrees.
Each pyperclip call runs in a thread with a timeout, so a hung helper never freezes the UI.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

TIMEOUT_S = 1.0


class Backend:
    """The system clipboard (pyperclip). Tests replace ``copy``/``paste``."""

    def copy(self, text: str) -> None:
        import pyperclip

        pyperclip.copy(text)

    def paste(self) -> str:
        import pyperclip

        return str(pyperclip.paste())


backend = Backend()


def _call(fn: Callable[[], object], timeout: float) -> object:
    """Run ``fn`` in a daemon thread; re-raise its error; TimeoutError if it hangs."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            box["error"] = exc

    t = threading.Thread(target=run, name="clipboard", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise TimeoutError(f"the clipboard helper did not answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


@dataclass
class CopyResult:
    osc52_sent: bool
    system_ok: bool
    system_error: str | None = None
    in_tmux: bool = False
    tmux_set_clipboard: str | None = None  # tmux's `set-clipboard` option, when in tmux

    @property
    def ok(self) -> bool:
        return self.osc52_sent or self.system_ok

    def message(self) -> str:
        """One line for a notification."""
        if self.system_ok and self.osc52_sent:
            return "Copied to the system clipboard and sent to the terminal (OSC 52)"
        if self.system_ok:
            return "Copied to the system clipboard"
        why = self.system_error or "no system clipboard here"
        hint = ""
        if self.in_tmux and self.tmux_set_clipboard != "on":
            # tmux drops an application's OSC 52 unless set-clipboard is on
            hint = " — in tmux, set `set -g set-clipboard on`"
        if self.osc52_sent:
            return (
                f"Sent to the terminal clipboard (OSC 52); {why} "
                f"(install xclip, xsel or wl-copy){hint}"
            )
        return f"Could not copy: {why} (install xclip, xsel or wl-copy){hint}"


def tmux_set_clipboard() -> str | None:
    """tmux's ``set-clipboard`` option (``on``/``external``/``off``), None if unknown."""
    import subprocess

    try:
        done = subprocess.run(
            ["tmux", "show-options", "-gv", "set-clipboard"],
            capture_output=True, text=True, timeout=0.5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value else None


def _system_error(exc: BaseException) -> str:
    name = exc.__class__.__name__
    if name == "PyperclipException" or "copy/paste mechanism" in str(exc):
        return "no system clipboard here"
    if isinstance(exc, TimeoutError):
        return "the system clipboard did not answer"
    text = " ".join(str(exc).split())[:80]
    return f"system clipboard failed ({text or name})"


def copy_text(
    text: str,
    osc52: Callable[[str], None] | None,
    *,
    timeout: float = TIMEOUT_S,
    env: dict[str, str] | None = None,
) -> CopyResult:
    """Copy ``text`` every way available; the result says what worked."""
    environ = os.environ if env is None else env
    in_tmux = bool(environ.get("TMUX"))
    osc52_sent = False
    if osc52 is not None:
        try:
            osc52(text)
            osc52_sent = True
        except Exception:  # noqa: BLE001 - a broken terminal writer is not fatal
            osc52_sent = False
    system_ok = False
    error: str | None = None
    try:
        _call(lambda: backend.copy(text), timeout)
        back = _call(backend.paste, timeout)
        if back == text:
            system_ok = True
        else:
            error = "the system clipboard did not keep the text (no display?)"
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a message
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        error = _system_error(exc)
    setting = tmux_set_clipboard() if in_tmux and not system_ok else None
    return CopyResult(
        osc52_sent=osc52_sent,
        system_ok=system_ok,
        system_error=error,
        in_tmux=in_tmux,
        tmux_set_clipboard=setting,
    )
