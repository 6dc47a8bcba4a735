"""The base of reader's modal screens: dismissed once.

Keys come in bursts (Enter then Escape, Enter twice): a second dismiss queued behind
the first would pop whatever screen is on top by then, the main screen itself ("Can't
pop screen" next). Once a modal is no longer the current screen, dismissing it does
nothing."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import ScreenStackError
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

ResultT = TypeVar("ResultT")


class OnceModal(ModalScreen[ResultT], Generic[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not is_top(self):
            return AwaitComplete.nothing()
        return super().dismiss(result)


def is_top(screen: Screen) -> bool:
    """Is ``screen`` the one on top (the one ``dismiss`` would pop)?"""
    try:
        return screen.app.screen is screen
    except ScreenStackError:
        return False
