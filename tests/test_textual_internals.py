"""Textual's private parts the reader relies on -- OptionList's
(reader.ui.widgets.option_list_internals) and Screen's (reader.ui.screens.layout_once):
this fails, naming the attribute, when an upgrade of Textual removes or renames one."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.ui.screens import layout_once
from reader.ui.widgets.option_list_internals import USED, remeasure, repaint_option, set_prompt


@pytest.mark.parametrize(("owner", "name"), USED, ids=[f"{o.__name__}.{n}" for o, n in USED])
def test_the_private_attribute_still_exists(owner, name):
    instance = OptionList(Option("a")) if owner is OptionList else Option("a")
    assert hasattr(instance, name), (
        f"Textual no longer has {owner.__name__}.{name}: update option_list_internals.py"
    )


@pytest.mark.parametrize(
    ("owner", "name"), layout_once.USED, ids=[f"{o.__name__}.{n}" for o, n in layout_once.USED]
)
def test_the_private_screen_attribute_still_exists(owner, name):
    instance = Screen() if owner is Screen else owner
    assert hasattr(instance, name), (
        f"Textual no longer has {owner.__name__}.{name}: update screens/layout_once.py"
    )


def test_the_toast_rack_is_still_found_by_its_name():
    # LayoutOnce.hide_empty_toasts queries the rack by its class name
    from textual.widgets._toast import ToastRack

    assert ToastRack.__name__ == "ToastRack"


class _Listing(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(Option("first"), Option("second"), Option("third"))


def _row_text(option_list: OptionList, y: int) -> str:
    return "".join(segment.text for segment in option_list.render_line(y))


async def test_a_changed_prompt_is_painted_by_both_helpers():
    app = _Listing()
    async with app.run_test(size=(40, 8)) as pilot:
        option_list = app.query_one(OptionList)
        await pilot.pause()
        assert "second" in _row_text(option_list, 1)
        set_prompt(option_list.get_option_at_index(1), "SECOND")
        repaint_option(option_list, 1)
        await pilot.pause()
        assert "SECOND" in _row_text(option_list, 1)
        set_prompt(option_list.get_option_at_index(2), "a much longer third prompt")
        remeasure(option_list)
        await pilot.pause()
        assert "a much longer third prompt" in _row_text(option_list, 2)
